package io.datafabric.drms.bench;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.sql.ConnectionPools;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.TableName;
import io.datafabric.drms.task.EdgeRunner;
import io.datafabric.drms.task.EdgeTask;
import io.datafabric.drms.task.TaskResult;
import io.datafabric.testing.PostgresDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Initial load of a PostgreSQL table into another PostgreSQL database: the replication's snapshot
 * (COPY to COPY, committed in chunks with the edge cursor) next to the peer {@code psql -c "\copy t
 * TO STDOUT" | psql -c "\copy t FROM STDIN"}, alternated in the same run, into a target table with
 * the same primary key. Run by {@code bench/drms-initial-load}.
 *
 * <p>Environment: {@code BENCH_ROWS} (default 5,000,000), {@code BENCH_ROUNDS} (3), {@code
 * BENCH_OUT} (json path).
 */
public final class InitialLoadBenchmark {
    private static final String DDL =
            " (id bigint PRIMARY KEY, customer_id bigint NOT NULL, amount numeric(12,2) NOT NULL,"
                    + " status text NOT NULL, updated_at timestamptz NOT NULL, note text)";

    private InitialLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(System.getenv().getOrDefault("BENCH_ROWS", "5000000"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "3"));
        Path out =
                Path.of(
                        System.getenv()
                                .getOrDefault("BENCH_OUT", "target/bench/drms-initial-load.json"));
        PostgresDatabase src = new PostgresDatabase().create("bench_src");
        PostgresDatabase dst = new PostgresDatabase().create("bench_dst");
        try {
            long t0 = System.nanoTime();
            src.execute("CREATE TABLE orders" + DDL);
            src.execute(
                    "INSERT INTO orders SELECT g, g % 100000, (g % 100000) / 100.0,"
                            + " (ARRAY['paid','shipped','new','void'])[1 + g % 4],"
                            + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',"
                            + " 'note for order ' || g FROM generate_series(1, "
                            + rows
                            + ") g");
            src.execute("VACUUM ANALYZE orders");
            System.out.printf(
                    Locale.ROOT,
                    "source: %,d rows, %s, generated in %.1f s%n",
                    rows,
                    size(src, "orders"),
                    (System.nanoTime() - t0) / 1e9);
            List<Double> project = new ArrayList<>();
            List<Double> peer = new ArrayList<>();
            try (ConnectionPools pools =
                    new ConnectionPools(
                            List.of(
                                    spec("src", src.jdbcUrl(), src.user()),
                                    spec("dst", dst.jdbcUrl(), dst.user())))) {
                Database s = pools.database("src");
                Database d = pools.database("dst");
                for (int r = 1; r <= rounds; r++) {
                    // Alternate which goes first, so neither always gets the warmer cache.
                    boolean projectFirst = r % 2 == 1;
                    for (int k = 0; k < 2; k++) {
                        if ((k == 0) == projectFirst) {
                            project.add(runProject(s, d, dst, r, rows));
                        } else {
                            peer.add(runPsql(src, dst, r, rows));
                        }
                    }
                }
            }
            report(rows, project, peer, out);
        } finally {
            src.drop();
            dst.drop();
        }
    }

    private static ConnectionPools.PoolSpec spec(String name, String url, String user) {
        return new ConnectionPools.PoolSpec(
                name, new JdbcSettings(url, user, ""), SqlDialect.forName("postgres"), 4);
    }

    private static double runProject(
            Database s, Database d, PostgresDatabase dst, int round, long rows) throws Exception {
        String table = "drms_copy_" + round;
        EdgeTask task =
                EdgeTask.builder("bench_" + round)
                        .source(s, TableName.parse("public.orders"))
                        .target(d, TableName.of(table))
                        .mode(EdgeTask.Mode.SNAPSHOT)
                        .build();
        long t0 = System.nanoTime();
        TaskResult r = new EdgeRunner().run(task);
        double secs = (System.nanoTime() - t0) / 1e9;
        check(dst, table, rows, r.rowsUpserted());
        System.out.printf(
                Locale.ROOT,
                "round %d  drms snapshot      %7.2f s  %,10.0f rows/s  (%d batches)%n",
                round,
                secs,
                rows / secs,
                r.batches());
        dst.execute("DROP TABLE " + table + ", " + table + "__inc");
        dst.execute("DELETE FROM drms_cursor");
        return secs;
    }

    private static double runPsql(PostgresDatabase src, PostgresDatabase dst, int round, long rows)
            throws Exception {
        String table = "psql_copy_" + round;
        dst.execute("CREATE TABLE " + table + DDL);
        String cmd =
                "psql -X -q -h 127.0.0.1 -U postgres -d "
                        + src.databaseName()
                        + " -c '\\copy orders TO STDOUT' | psql -X -q -h 127.0.0.1 -U postgres -d "
                        + dst.databaseName()
                        + " -c '\\copy "
                        + table
                        + " FROM STDIN'";
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", cmd).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("psql pipe failed: " + cmd);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        check(dst, table, rows, rows);
        System.out.printf(
                Locale.ROOT,
                "round %d  psql \\copy pipe    %7.2f s  %,10.0f rows/s%n",
                round,
                secs,
                rows / secs);
        dst.execute("DROP TABLE " + table);
        return secs;
    }

    private static void check(PostgresDatabase db, String table, long rows, long reported)
            throws Exception {
        Long n = db.queryLong("SELECT count(*) FROM " + table);
        if (n == null || n != rows || reported != rows) {
            throw new IllegalStateException(
                    table + " has " + n + " rows (reported " + reported + "), expected " + rows);
        }
    }

    private static String size(PostgresDatabase db, String table) throws Exception {
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT pg_size_pretty(pg_total_relation_size('" + table + "'))")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static void report(long rows, List<Double> project, List<Double> peer, Path out)
            throws IOException {
        double p = median(project);
        double q = median(peer);
        double ratio = q / p;
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-28s %12s %14s%n",
                "initial load, " + rows + " rows",
                "median s",
                "rows/s");
        System.out.printf(
                Locale.ROOT, "%-28s %12.2f %,14.0f%n", "drms snapshot (COPY->COPY)", p, rows / p);
        System.out.printf(Locale.ROOT, "%-28s %12.2f %,14.0f%n", "psql \\copy pipe", q, rows / q);
        System.out.printf(
                Locale.ROOT,
                "drms / psql throughput: %.2fx (goal >= 0.70x: %s)%n",
                ratio,
                ratio >= 0.7 ? "met" : "NOT met");
        String json =
                String.format(
                        Locale.ROOT,
                        "{\"project\": {\"name\": \"drms snapshot PG->PG\", \"rows\": %d,"
                                + " \"median_s\": %.3f, \"rows_per_s\": %.0f, \"runs_s\": %s,"
                                + " \"vs_psql_copy\": %.3f, \"goal_vs_psql_copy\": 0.7},%n"
                                + " \"peers\": {\"psql_copy_pipe\": {\"rows\": %d, \"median_s\":"
                                + " %.3f, \"rows_per_s\": %.0f, \"runs_s\": %s}},%n"
                                + " \"machine\": {\"cores\": %d, \"java\": \"%s\", \"os\":"
                                + " \"%s\"}}%n",
                        rows,
                        p,
                        rows / p,
                        project,
                        ratio,
                        rows,
                        q,
                        rows / q,
                        peer,
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"),
                        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json, StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }
}
