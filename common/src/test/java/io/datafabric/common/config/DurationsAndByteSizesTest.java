package io.datafabric.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/** The suite's one duration and one byte-size syntax, checked against Flink's own parsers. */
class DurationsAndByteSizesTest {
    @Test
    void durationsWithAUnitReadAsFlinkReadsThem() {
        for (String text :
                List.of(
                        "500ms",
                        "500 ms",
                        "10s",
                        "10 sec",
                        "7 seconds",
                        "5m",
                        "5min",
                        "5 minutes",
                        "2h",
                        "2 hours",
                        "1d",
                        "3 days",
                        "250millis",
                        "40µs",
                        "9ns")) {
            assertThat(Durations.parse(text)).as(text).isEqualTo(TimeUtils.parseDuration(text));
        }
    }

    @Test
    void durationsWithoutUnitAreSecondsAndIsoWorks() {
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse(" 1H ")).isEqualTo(Duration.ofHours(1));
        for (String bad :
                List.of("", "s", "-5s", "5 weeks", "1.5s", "PTX", "9999999999999999999d")) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration");
        }
    }

    @Test
    void byteSizesReadAsFlinksMemorySize() {
        for (String text :
                List.of(
                        "0",
                        "512",
                        "512b",
                        "64k",
                        "64kb",
                        "64 kibibytes",
                        "16m",
                        "16 mb",
                        "1g",
                        "2gb",
                        "1t",
                        "3 bytes")) {
            assertThat(ByteSizes.parse(text)).as(text).isEqualTo(MemorySize.parseBytes(text));
        }
        assertThat(ByteSizes.parse("1_048_576")).isEqualTo(1L << 20);
        for (String bad : List.of("", "k", "-1", "1.5m", "12 parsecs", "99999999999t")) {
            assertThatThrownBy(() -> ByteSizes.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a size in bytes");
        }
    }

    @Test
    void settingsReportBadValuesWithTheirKey() {
        Settings s = Settings.of(Map.of("a.size", "64q", "b.size", "1k", "c.wait", "soon"));
        assertThat(s.bytes("b.size", 0, 1)).isEqualTo(1024);
        assertThat(s.bytes("a.size", 7, 1)).isEqualTo(7);
        assertThat(s.bytes("b.size", 7, 4096)).isEqualTo(7);
        assertThat(s.duration("c.wait", Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(s.problems())
                .anyMatch(p -> p.startsWith("a.size=64q"))
                .anyMatch(p -> p.contains("b.size=1k") && p.contains("at least 4096"))
                .anyMatch(p -> p.startsWith("c.wait=soon"));
    }
}
