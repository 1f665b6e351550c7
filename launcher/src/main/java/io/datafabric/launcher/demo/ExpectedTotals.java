package io.datafabric.launcher.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The exact usage totals of every batch the demo generated, from the generator's own files. */
final class ExpectedTotals {
    private final Map<Long, Long> totals = new HashMap<>();

    /** Adds a generator's {@code _expected_totals.csv} ({@code consumer_id,total} per line). */
    synchronized void add(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.US_ASCII);
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.indexOf(',');
            totals.merge(
                    Long.parseLong(line.substring(0, comma)),
                    Long.parseLong(line.substring(comma + 1)),
                    Long::sum);
        }
    }

    synchronized long sum() {
        return totals.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized long consumers() {
        return totals.size();
    }
}
