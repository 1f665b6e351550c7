package io.datafabric.des.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.datafabric.des.format.ShardIndex;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An {@link IndexCache} on Caffeine, bounded by bytes: each shard weighs the size of its META and
 * INDEX sections, which is what it holds on the heap. Concurrent misses for the same shard load it
 * once. An index heavier than the whole budget is loaded, used, and not kept.
 */
public final class CaffeineIndexCache implements IndexCache {
    private final Cache<String, ShardIndex> cache;
    private final long maxBytes;

    public CaffeineIndexCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("cache size must be positive");
        }
        this.maxBytes = maxBytes;
        this.cache =
                Caffeine.newBuilder()
                        .maximumWeight(maxBytes)
                        .weigher(
                                (String id, ShardIndex index) ->
                                        (int) Math.min(Integer.MAX_VALUE, index.weight()))
                        // Evict on the caller's thread: predictable in tests, and cheap.
                        .executor(Runnable::run)
                        .recordStats()
                        .build();
    }

    @Override
    public ShardIndex get(String shardId, Loader loader) throws IOException {
        try {
            return cache.get(
                    shardId,
                    id -> {
                        try {
                            return loader.load();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void invalidate(String shardId) {
        cache.invalidate(shardId);
    }

    /** Bytes the cached indexes hold now. */
    public long weightedSize() {
        cache.cleanUp();
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Hits, misses, loads and evictions so far, for metrics. */
    public CacheStats stats() {
        return cache.stats();
    }

    /** Number of shards cached now. */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
