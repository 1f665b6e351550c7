package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.api.files.ArchiveLocation;
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
                        Map.of("API_DB_PW", "pw", "DF_API_JWT_SECRET", "x".repeat(32)));
        assertThat(cfg.host()).isEqualTo("127.0.0.1");
        assertThat(cfg.port()).isEqualTo(8080);
        assertThat(cfg.jdbc().password()).isEqualTo("pw");
        assertThat(cfg.router().owns(cfg.router().shardOf("any/name"))).isTrue();
        assertThat(cfg.tls()).isEmpty();
        assertThat(cfg.redisUrl()).isEmpty();
    }

    @Test
    void routerRangesMustCoverEveryShardOnce() {
        assertThatThrownBy(
                        () ->
                                ApiConfig.from(
                                        Settings.of(
                                                Map.of(
                                                        "jdbc.url",
                                                        "jdbc:postgresql://127.0.0.1/x",
                                                        "router.shard-bits",
                                                        "2",
                                                        "router.owned",
                                                        "0-1",
                                                        "router.peers",
                                                        "1=http://b:8080, x=http://c",
                                                        "redis.url",
                                                        "localhost:6379")),
                                        Map.of("DF_API_JWT_SECRET", "x".repeat(32))))
                .isInstanceOf(ConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((ConfigException) e).problems())
                                        .anyMatch(p -> p.contains("more than one owner"))
                                        .anyMatch(p -> p.contains("have no owner"))
                                        .anyMatch(p -> p.contains("'x' is not a shard number"))
                                        .anyMatch(p -> p.contains("redis.url")));
    }

    @Test
    void secretsComeFromFilesToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path secret = dir.resolve("jwt");
        java.nio.file.Files.writeString(secret, "s".repeat(40) + "\n");
        ApiConfig cfg =
                ApiConfig.from(
                        Settings.of(
                                Map.of(
                                        "jdbc.url",
                                        "jdbc:postgresql://127.0.0.1/x",
                                        "api.jwt.secret-file",
                                        secret.toString())),
                        Map.of());
        assertThat(cfg.jwtSecret()).isEqualTo("s".repeat(40));
        assertThat(cfg.toString()).doesNotContain("sss");
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
                .satisfies(
                        e ->
                                assertThat(((ConfigException) e).problems())
                                        .hasSize(4)
                                        .anyMatch(p -> p.contains("api.jwt.secret")));
    }

    private static ApiConfig config(Map<String, String> values, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(values);
        all.put("jdbc.url", "jdbc:postgresql://127.0.0.1/x");
        Map<String, String> e = new java.util.HashMap<>(env);
        e.putIfAbsent("DF_API_JWT_SECRET", "x".repeat(32));
        return ApiConfig.from(Settings.of(all), e);
    }

    @Test
    void archiveUriIsTheArchiveAndDesBucketTheOlderForm() {
        assertThat(config(Map.of(), Map.of()).archive())
                .isEqualTo(new ArchiveLocation.S3("des", ""));
        assertThat(config(Map.of("des.bucket", "old"), Map.of()).archive())
                .isEqualTo(new ArchiveLocation.S3("old", ""));
        assertThat(config(Map.of("archive.uri", "s3://archive-bucket/a/b/"), Map.of()).archive())
                .isEqualTo(new ArchiveLocation.S3("archive-bucket", "a/b"));
        assertThat(config(Map.of("archive.uri", "file:///data/des-archive/"), Map.of()).archive())
                .isEqualTo(new ArchiveLocation.Local(java.nio.file.Path.of("/data/des-archive")));
        assertThat(config(Map.of("archive.uri", "file:/data/x"), Map.of()).archive())
                .isEqualTo(new ArchiveLocation.Local(java.nio.file.Path.of("/data/x")));
        for (String bad :
                java.util.List.of(
                        "http://x/y", "file://host/dir", "s3://B_ad", "s3://ok-bucket/a/../b")) {
            assertThatThrownBy(() -> config(Map.of("archive.uri", bad), Map.of()))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("archive.uri");
        }
    }

    @Test
    void objectKeysThatLeaveTheArchiveAreRecognised() {
        assertThat(ArchiveLocation.keyProblem("des/media/shard-00001/000000000001.des")).isNull();
        for (String bad :
                java.util.List.of(
                        "",
                        "/etc/passwd",
                        "../x",
                        "a/../../x",
                        "a//b",
                        "./a",
                        "a\\..\\b",
                        "a/\u0000b",
                        "a/..")) {
            assertThat(ArchiveLocation.keyProblem(bad)).as(bad).isNotNull();
        }
    }

    @Test
    void theFirstAdminCanComeFromConfigurationAndAFile(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path pw = dir.resolve("admin-password");
        java.nio.file.Files.writeString(pw, "admin-password-123\n");
        ApiConfig cfg =
                config(
                        Map.of(
                                "api.admin.user",
                                "demo-admin",
                                "api.admin.password-file",
                                pw.toString()),
                        Map.of("DF_API_ADMIN_USER", "ignored", "DF_API_ADMIN_PASSWORD", "ignored"));
        assertThat(cfg.adminUser()).isEqualTo("demo-admin");
        assertThat(cfg.adminPassword()).isEqualTo("admin-password-123");
        ApiConfig fromEnv =
                config(
                        Map.of(),
                        Map.of(
                                "DF_API_ADMIN_USER",
                                "env-admin",
                                "DF_API_ADMIN_PASSWORD",
                                "pw-from-env-1"));
        assertThat(fromEnv.adminUser()).isEqualTo("env-admin");
        assertThat(fromEnv.adminPassword()).isEqualTo("pw-from-env-1");
    }
}
