package io.datafabric.api.files;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The second level of the file index cache, shared by all instances: Redis (Jedis), one key per
 * file name under a prefix, with a TTL. Redis trouble never fails a read: it is logged, counted as
 * a miss, and the database answers.
 */
public interface SharedIndexCache extends AutoCloseable {
    Optional<String> get(String name);

    void put(String name, String value);

    void remove(String name);

    @Override
    default void close() {}

    /** No second level. */
    static SharedIndexCache none() {
        return new SharedIndexCache() {
            @Override
            public Optional<String> get(String name) {
                return Optional.empty();
            }

            @Override
            public void put(String name, String value) {}

            @Override
            public void remove(String name) {}
        };
    }

    /** Redis at {@code url} ({@code redis://host:port[/db]}). */
    static SharedIndexCache redis(String url, String prefix, Duration ttl) {
        return new Redis(RedisClient.create(URI.create(url)), prefix, ttl);
    }

    /** The Redis implementation. */
    final class Redis implements SharedIndexCache {
        private static final Logger LOG = LoggerFactory.getLogger(SharedIndexCache.class);
        private final RedisClient jedis;
        private final String prefix;
        private final long ttlSeconds;

        Redis(RedisClient jedis, String prefix, Duration ttl) {
            this.jedis = jedis;
            this.prefix = prefix;
            this.ttlSeconds = Math.max(1, ttl.toSeconds());
        }

        @Override
        public Optional<String> get(String name) {
            try {
                return Optional.ofNullable(jedis.get(prefix + name));
            } catch (RuntimeException e) {
                LOG.warn("redis get failed: {}", e.getMessage());
                return Optional.empty();
            }
        }

        @Override
        public void put(String name, String value) {
            try {
                jedis.set(prefix + name, value, SetParams.setParams().ex(ttlSeconds));
            } catch (RuntimeException e) {
                LOG.warn("redis set failed: {}", e.getMessage());
            }
        }

        @Override
        public void remove(String name) {
            try {
                jedis.del(prefix + name);
            } catch (RuntimeException e) {
                LOG.warn("redis del failed: {}", e.getMessage());
            }
        }

        /** Reachability, for readiness. */
        public boolean ping() {
            try {
                return "PONG".equalsIgnoreCase(jedis.ping());
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public void close() {
            jedis.close();
        }
    }
}
