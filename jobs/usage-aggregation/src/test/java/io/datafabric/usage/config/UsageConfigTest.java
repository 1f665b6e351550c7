package io.datafabric.usage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link UsageConfig#from}: the environment is a parameter, not the process's. */
class UsageConfigTest {

    @Test
    void thePasswordVariableIsLookedUpInTheGivenEnvironment() {
        String variable = "USAGE_TEST_DB_PASSWORD_" + System.nanoTime();
        Map<String, String> values =
                Map.of(
                        "usage.input", "/data/usage",
                        "jdbc.url", "jdbc:postgresql://127.0.0.1/df",
                        "jdbc.password-env", variable);
        UsageConfig config = UsageConfig.from(Settings.of(values), Map.of(variable, "s3cret"));
        assertThat(config.jdbc().password()).isEqualTo("s3cret");
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> UsageConfig.from(Settings.of(values), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(variable);
    }

    @Test
    void aTooShortLeaseIsAProblem() {
        assertThatThrownBy(
                        () ->
                                UsageConfig.from(
                                        Settings.of(
                                                Map.of(
                                                        "usage.input", "/data/usage",
                                                        "jdbc.url", "jdbc:postgresql://h/df",
                                                        "usage.lease.ttl", "100ms")),
                                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("usage.lease.ttl");
    }

    @Test
    void sizesAndDurationsUseTheSuitesOneSyntax() {
        UsageConfig config =
                UsageConfig.from(
                        Settings.of(
                                Map.of(
                                        "usage.input", "/data/usage",
                                        "jdbc.url", "jdbc:postgresql://h/df",
                                        "usage.split-size", "16mb",
                                        "usage.chunk-size", "1_048_576",
                                        "usage.scan-interval", "500ms",
                                        "usage.period", "2 min")),
                        Map.of());
        assertThat(config.splitSize()).isEqualTo(16L << 20);
        assertThat(config.chunkSize()).isEqualTo(1L << 20);
        assertThat(config.scanInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.period()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aBadOrTooSmallSizeIsAProblemNamingItsKey() {
        assertThatThrownBy(
                        () ->
                                UsageConfig.from(
                                        Settings.of(
                                                Map.of(
                                                        "usage.input", "/data/usage",
                                                        "jdbc.url", "jdbc:postgresql://h/df",
                                                        "usage.split-size", "64 parsecs",
                                                        "usage.chunk-size", "1k")),
                                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("usage.split-size=64 parsecs")
                .hasMessageContaining("is not a size")
                .hasMessageContaining("usage.chunk-size=1k")
                .hasMessageContaining("must be at least 65536 bytes");
    }
}
