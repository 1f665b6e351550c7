package io.datafabric.replication.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void backOffDoublesUpToTheMaximum() {
        RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(500));
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delayAfter(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delayAfter(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.delayAfter(50)).isEqualTo(Duration.ofMillis(500));
    }
}
