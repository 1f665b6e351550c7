package io.datafabric.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path dir;

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void yamlIsFlattenedToDottedKeysAndListsToCommaSeparatedValues() throws Exception {
        Settings s =
                new ConfigLoader()
                        .yamlFile(
                                yaml(
                                        "jdbc:\n  url: jdbc:postgresql://h/db\n  user: app\ninputs: [a, b]\n"))
                        .load();
        assertThat(s.asMap())
                .containsEntry("jdbc.url", "jdbc:postgresql://h/db")
                .containsEntry("jdbc.user", "app")
                .containsEntry("inputs", "a,b");
        assertThat(s.list("inputs")).containsExactly("a", "b");
    }

    @Test
    void environmentOverridesYamlAndSetOverridesEnvironment() throws Exception {
        Settings s =
                new ConfigLoader()
                        .yamlFile(yaml("usage:\n  flush-entries: 10\n  period: 1h\n"))
                        .environment(
                                Map.of(
                                        "DF_USAGE_FLUSH__ENTRIES", "20",
                                        "DF_USAGE_PERIOD", "30m",
                                        "HOME", "/root"))
                        .overrides(List.of("usage.period=5m"))
                        .load();
        assertThat(s.longValue("usage.flush-entries", 0, 1, 100)).isEqualTo(20);
        assertThat(s.duration("usage.period", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.has("home")).isFalse();
    }

    @Test
    void environmentNamesMapBothWays() {
        assertThat(ConfigLoader.keyOfEnv("DF_USAGE_FLUSH__ENTRIES"))
                .isEqualTo("usage.flush-entries");
        assertThat(ConfigLoader.envOfKey("usage.flush-entries"))
                .isEqualTo("DF_USAGE_FLUSH__ENTRIES");
        assertThat(ConfigLoader.keyOfEnv(ConfigLoader.envOfKey("a.b-c.d"))).isEqualTo("a.b-c.d");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Settings s =
                new ConfigLoader()
                        .yamlFile(yaml("parallelism: lots\ninterval: soon\nbounded: maybe\n"))
                        .overrides(List.of("mode=sideways"))
                        .load();
        s.required("jdbc.url");
        s.intValue("parallelism", 1, 1, 64);
        s.duration("interval", Duration.ofSeconds(1));
        s.bool("bounded", false);
        s.oneOf("mode", "fast", "fast", "safe");
        assertThatThrownBy(s::validate)
                .isInstanceOf(ConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((ConfigException) e).problems())
                                        .hasSize(5)
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "jdbc.url is required",
                                                                        "DF_JDBC_URL"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "parallelism=lots",
                                                                        "config.yaml"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "interval=soon",
                                                                        "not a duration"))
                                        .anySatisfy(p -> assertThat(p).contains("bounded=maybe"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "mode=sideways",
                                                                        "--set",
                                                                        "fast, safe")));
    }

    @Test
    void outOfRangeNumberIsAProblem() {
        Settings s = Settings.of(Map.of("parallelism", "0"));
        assertThat(s.intValue("parallelism", 2, 1, 64)).isEqualTo(2);
        assertThat(s.problems()).singleElement().asString().contains("between 1 and 64");
    }

    @Test
    void missingOrMalformedFileIsAProblemNotACrash() throws Exception {
        assertThatThrownBy(() -> new ConfigLoader().yamlFile(dir.resolve("absent.yaml")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new ConfigLoader().yamlFile(yaml("a: [unclosed\n")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> new ConfigLoader().yamlFile(yaml("- just\n- a list\n")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mapping");
        assertThatThrownBy(() -> new ConfigLoader().overrides(List.of("novalue")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected key=value");
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(Settings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Settings.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Settings.parseDuration("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Settings.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Settings.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Settings.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Settings.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void withPrefixStripsThePrefix() {
        Settings s =
                Settings.of(
                        Map.of("flink.parallelism.default", "2", "flinkish", "x", "jdbc.url", "u"));
        assertThat(s.withPrefix("flink")).isEqualTo(Map.of("parallelism.default", "2"));
    }
}
