package io.datafabric.common.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one byte-size syntax of the suite: a whole number of bytes, optionally with a binary unit as
 * Flink's {@code MemorySize} writes them ({@code 512}, {@code 64k}, {@code 64kb}, {@code 16 mb},
 * {@code 1g}, {@code 2 gibibytes}, {@code 1t}); {@code k} is 1024. Underscores are ignored ({@code
 * 1_048_576}).
 *
 * <p>Not Flink's parser itself, so that parts without Flink can use it; a test checks that every
 * unit Flink knows gives the same value here.
 */
public final class ByteSizes {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+)\\s*([a-z]*)");

    private static final Map<String, Integer> SHIFTS =
            Map.ofEntries(
                    Map.entry("", 0),
                    Map.entry("b", 0),
                    Map.entry("bytes", 0),
                    Map.entry("k", 10),
                    Map.entry("kb", 10),
                    Map.entry("kibibytes", 10),
                    Map.entry("m", 20),
                    Map.entry("mb", 20),
                    Map.entry("mebibytes", 20),
                    Map.entry("g", 30),
                    Map.entry("gb", 30),
                    Map.entry("gibibytes", 30),
                    Map.entry("t", 40),
                    Map.entry("tb", 40),
                    Map.entry("tebibytes", 40));

    private ByteSizes() {}

    /**
     * Parses a size in bytes.
     *
     * @throws IllegalArgumentException naming the text and giving examples when it is not one (or
     *     does not fit a long)
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text);
        }
        Matcher m = AMOUNT.matcher(text.trim().toLowerCase(Locale.ROOT).replace("_", ""));
        if (!m.matches() || !SHIFTS.containsKey(m.group(2))) {
            throw invalid(text);
        }
        int shift = SHIFTS.get(m.group(2));
        try {
            long v = Long.parseLong(m.group(1));
            if (v > (Long.MAX_VALUE >> shift)) {
                throw invalid(text);
            }
            return v << shift;
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "'" + text + "' is not a size in bytes (examples: 1048576, 64k, 16mb, 1g)");
    }
}
