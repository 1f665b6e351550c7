package io.datafabric.des.cache;

import io.datafabric.des.format.ShardIndex;
import java.io.IOException;

/**
 * Keeps parsed shard tails (footer, META, INDEX) between reads, keyed by the shard's {@link
 * io.datafabric.des.io.RangeSource#id()}. Shards are immutable once written, so an entry never goes
 * stale; it only needs to be evicted for space. Share one cache between all readers of a process.
 */
public interface IndexCache {

    /** Returns the cached index of a shard, loading it with {@code loader} on a miss. */
    ShardIndex get(String shardId, Loader loader) throws IOException;

    /** Forgets one shard, e.g. after it was deleted and rewritten under the same key. */
    void invalidate(String shardId);

    /** Loads one shard's index; the reader passes its own tail-read logic. */
    @FunctionalInterface
    interface Loader {
        ShardIndex load() throws IOException;
    }

    /** A cache that keeps nothing: every call loads (useful to measure cold reads). */
    static IndexCache none() {
        return new IndexCache() {
            @Override
            public ShardIndex get(String shardId, Loader loader) throws IOException {
                return loader.load();
            }

            @Override
            public void invalidate(String shardId) {}
        };
    }

    /** A Caffeine cache bounded by the bytes the cached indexes hold. */
    static CaffeineIndexCache bounded(long maxBytes) {
        return new CaffeineIndexCache(maxBytes);
    }
}
