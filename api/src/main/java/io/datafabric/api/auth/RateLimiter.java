package io.datafabric.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * A token bucket per access token: {@code perSecond} requests a second on average, bursts up to
 * {@code burst}. Buckets of tokens not seen for a minute are forgotten.
 */
public final class RateLimiter {
    private final double perSecond;
    private final int burst;
    private final Cache<String, Bucket> buckets =
            Caffeine.newBuilder()
                    .maximumSize(1_000_000)
                    .expireAfterAccess(Duration.ofMinutes(1))
                    .build();

    public RateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /** 0 when the request may go ahead, else the seconds to wait before the next one. */
    public long acquire(String key) {
        if (!enabled()) {
            return 0;
        }
        return buckets.get(key, k -> new Bucket(burst)).take(perSecond, burst, System.nanoTime());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int burst) {
            this.tokens = burst;
            this.last = System.nanoTime();
        }

        synchronized long take(double perSecond, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }
}
