package io.datafabric.replication.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Exponential back-off between the attempts of one task: {@code initial}, doubled each time, at
 * most {@code max}; after {@code maxAttempts} the task is failed and the edge waits for its next
 * schedule.
 */
public record RetryPolicy(int maxAttempts, Duration initial, Duration max) implements Serializable {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The pause after attempt {@code attempt} (1-based) failed. */
    public Duration delayAfter(int attempt) {
        long ms = initial.toMillis();
        for (int i = 1; i < attempt && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
