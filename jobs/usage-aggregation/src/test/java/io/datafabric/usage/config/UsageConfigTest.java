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
}
