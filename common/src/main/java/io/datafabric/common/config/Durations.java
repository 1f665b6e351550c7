package io.datafabric.common.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of the suite (configuration keys, the replication graph's schedules, CLI
 * options): a whole number with a unit, as Flink's {@code TimeUtils} writes them ({@code 500ms},
 * {@code 10 s}, {@code 5min}, {@code 2 hours}, {@code 1d}), or ISO-8601 ({@code PT10S}). A number
 * without unit means seconds (Flink would read milliseconds; the suite's files always meant
 * seconds).
 *
 * <p>Not Flink's parser itself: the api and drms-core use this without Flink on their classpath. A
 * test checks that every unit Flink knows gives the same value here.
 */
public final class Durations {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+)\\s*([a-zµ]*)");

    private static final Map<String, Duration> UNITS =
            Map.ofEntries(
                    Map.entry("ns", Duration.ofNanos(1)),
                    Map.entry("nano", Duration.ofNanos(1)),
                    Map.entry("nanos", Duration.ofNanos(1)),
                    Map.entry("nanosecond", Duration.ofNanos(1)),
                    Map.entry("nanoseconds", Duration.ofNanos(1)),
                    Map.entry("µs", Duration.ofNanos(1_000)),
                    Map.entry("micro", Duration.ofNanos(1_000)),
                    Map.entry("micros", Duration.ofNanos(1_000)),
                    Map.entry("microsecond", Duration.ofNanos(1_000)),
                    Map.entry("microseconds", Duration.ofNanos(1_000)),
                    Map.entry("ms", Duration.ofMillis(1)),
                    Map.entry("milli", Duration.ofMillis(1)),
                    Map.entry("millis", Duration.ofMillis(1)),
                    Map.entry("millisecond", Duration.ofMillis(1)),
                    Map.entry("milliseconds", Duration.ofMillis(1)),
                    Map.entry("", Duration.ofSeconds(1)),
                    Map.entry("s", Duration.ofSeconds(1)),
                    Map.entry("sec", Duration.ofSeconds(1)),
                    Map.entry("secs", Duration.ofSeconds(1)),
                    Map.entry("second", Duration.ofSeconds(1)),
                    Map.entry("seconds", Duration.ofSeconds(1)),
                    Map.entry("m", Duration.ofMinutes(1)),
                    Map.entry("min", Duration.ofMinutes(1)),
                    Map.entry("mins", Duration.ofMinutes(1)),
                    Map.entry("minute", Duration.ofMinutes(1)),
                    Map.entry("minutes", Duration.ofMinutes(1)),
                    Map.entry("h", Duration.ofHours(1)),
                    Map.entry("hour", Duration.ofHours(1)),
                    Map.entry("hours", Duration.ofHours(1)),
                    Map.entry("d", Duration.ofDays(1)),
                    Map.entry("day", Duration.ofDays(1)),
                    Map.entry("days", Duration.ofDays(1)));

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the text and giving examples when it is not one
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text);
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher m = AMOUNT.matcher(t);
        if (!m.matches()) {
            throw invalid(text);
        }
        Duration unit = UNITS.get(m.group(2));
        if (unit == null) {
            throw invalid(text);
        }
        try {
            return unit.multipliedBy(Long.parseLong(m.group(1)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "'" + text + "' is not a duration (examples: 500ms, 10s, 5m, 1h, 1d, PT30S)");
    }
}
