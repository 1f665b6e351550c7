package io.datafabric.common.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
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
