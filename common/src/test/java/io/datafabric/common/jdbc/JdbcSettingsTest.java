package io.datafabric.common.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.ConfigLoader;
import io.datafabric.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcSettingsTest {
    @TempDir Path dir;

    @Test
    void passwordComesFromTheNamedEnvironmentVariable() {
        Settings s =
                Settings.of(
                        Map.of(
                                "jdbc.url", "jdbc:postgresql://127.0.0.1/db",
                                "jdbc.user", "app",
                                "jdbc.password-env", "APP_DB_PASSWORD"));
        JdbcSettings jdbc = JdbcSettings.from(s, "jdbc", Map.of("APP_DB_PASSWORD", "s3cret"));
        assertThat(s.problems()).isEmpty();
        assertThat(jdbc.password()).isEqualTo("s3cret");
        assertThat(jdbc.toString()).doesNotContain("s3cret").contains("***");
    }

    @Test
    void passwordComesFromAFile() throws Exception {
        Path secret = dir.resolve("pw");
        Files.writeString(secret, "from-file\n");
        Settings s =
                Settings.of(
                        Map.of(
                                "jdbc.url",
                                "jdbc:postgresql://127.0.0.1/db",
                                "jdbc.password-file",
                                secret.toString()));
        assertThat(JdbcSettings.from(s, "jdbc", Map.of()).password()).isEqualTo("from-file");
    }

    @Test
    void aPasswordInTheYamlFileIsRefusedEvenWhenOverridden() throws Exception {
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(
                yaml, "jdbc:\n  url: jdbc:postgresql://127.0.0.1/db\n  password: in-the-file\n");
        for (Map<String, String> env :
                List.of(Map.<String, String>of(), Map.of("DF_JDBC_PASSWORD", "from-env"))) {
            Settings s = new ConfigLoader().yamlFile(yaml).environment(env).load();
            JdbcSettings.from(s, "jdbc", env);
            assertThat(s.problems())
                    .singleElement()
                    .asString()
                    .contains("jdbc.password", yaml.toString(), "DF_JDBC_PASSWORD");
            assertThatThrownBy(s::validate).isInstanceOf(ConfigException.class);
        }
    }

    @Test
    void aPasswordFromTheEnvironmentOrTheCommandLineIsAccepted() throws Exception {
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(yaml, "jdbc:\n  url: jdbc:postgresql://127.0.0.1/db\n");
        Settings fromEnv =
                new ConfigLoader()
                        .yamlFile(yaml)
                        .environment(Map.of("DF_JDBC_PASSWORD", "from-env"))
                        .load();
        assertThat(JdbcSettings.from(fromEnv, "jdbc", Map.of()).password()).isEqualTo("from-env");
        Settings fromSet =
                new ConfigLoader()
                        .yamlFile(yaml)
                        .overrides(List.of("jdbc.password=from-set"))
                        .load();
        assertThat(JdbcSettings.from(fromSet, "jdbc", Map.of()).password()).isEqualTo("from-set");
        assertThat(fromEnv.problems()).isEmpty();
        assertThat(fromSet.problems()).isEmpty();
    }

    @Test
    void unsetVariableMissingUrlAndBadUrlAreProblems() {
        Settings s = Settings.of(Map.of("a.url", "postgres://x", "a.password-env", "NOPE"));
        assertThat(JdbcSettings.from(s, "a", Map.of())).isNull();
        Settings t = Settings.of(Map.of());
        assertThat(JdbcSettings.from(t, "b", Map.of())).isNull();
        assertThat(s.problems())
                .anySatisfy(p -> assertThat(p).contains("NOPE", "not set"))
                .anySatisfy(p -> assertThat(p).contains("must start with jdbc:"));
        assertThat(t.problems()).singleElement().asString().contains("b.url is required");
    }
}
