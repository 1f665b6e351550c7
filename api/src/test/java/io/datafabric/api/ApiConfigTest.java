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
}
