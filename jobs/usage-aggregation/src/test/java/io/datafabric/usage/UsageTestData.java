package io.datafabric.usage;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.config.UsageConfig;
import io.datafabric.usage.generate.UsageGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** Shared helpers of the ITCases: configuration, expected and actual totals. */
final class UsageTestData {
    private UsageTestData() {}

    static UsageConfig config(Map<String, String> values) {
        return UsageConfig.from(Settings.of(values), Map.of());
    }

    /** The generator's exact totals for ids {@code [0, consumers)}, plus extra ones. */
    static Map<Long, Long> expected(
            UsageGenerator generator, int consumers, Map<Long, Long> extra) {
        Map<Long, Long> out = new HashMap<>();
        for (int c = 0; c < consumers; c++) {
            long t = generator.totalOf(c);
            if (t >= 0) {
                out.put((long) c, t);
            }
        }
        extra.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    static Map<Long, Long> totals(PostgresDatabase pg) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (Connection c = pg.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT consumer_id, total FROM usage.totals")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Applies the migrations and empties the job's tables (tests of a class share a database). */
    static void reset(PostgresDatabase pg) throws SQLException {
        Migrations.apply(new JdbcSettings(pg.jdbcUrl(), pg.user(), ""), "usage");
        pg.execute(
                "TRUNCATE usage.totals, usage.by_period, usage.files, usage.file_splits,"
                        + " usage.rejects, usage.commits, usage.notified_files,"
                        + " usage.input_leases");
    }

    /** The truth the generator wrote next to its files ({@code _expected_totals.csv}). */
    static Map<Long, Long> expectedTotalsCsv(Path dir) throws IOException {
        Map<Long, Long> out = new HashMap<>();
        try (BufferedReader in =
                Files.newBufferedReader(
                        dir.resolve(UsageGenerator.EXPECTED_TOTALS), StandardCharsets.US_ASCII)) {
            String header = in.readLine();
            if (!"consumer_id,total".equals(header)) {
                throw new IOException("unexpected header " + header);
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int comma = line.indexOf(',');
                out.put(
                        Long.parseLong(line.substring(0, comma)),
                        Long.parseLong(line.substring(comma + 1)));
            }
        }
        return out;
    }

    static long completedFiles(PostgresDatabase pg) throws SQLException {
        return pg.queryLong("SELECT count(*) FROM usage.files WHERE status = 'completed'");
    }
}
