package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {
    @Test
    void defaultsApplyAndPasswordComesFromTheEnvironment() {
        ApiConfig cfg =
                ApiConfig.from(
                        Settings.of(
                                Map.of(
                                        "jdbc.url", "jdbc:postgresql://127.0.0.1/x",
                                        "jdbc.password-env", "API_DB_PW")),
                        Map.of("API_DB_PW", "pw"));
        assertThat(cfg.host()).isEqualTo("127.0.0.1");
        assertThat(cfg.port()).isEqualTo(8080);
        assertThat(cfg.jdbc().password()).isEqualTo("pw");
    }

    @Test
    void everyProblemIsListed() {
        assertThatThrownBy(
                        () ->
                                ApiConfig.from(
                                        Settings.of(
                                                Map.of(
                                                        "api.port",
                                                        "99999",
                                                        "api.db-pool-size",
                                                        "x")),
                                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3));
    }
}
