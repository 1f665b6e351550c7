package io.datafabric.replication.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.control.ControlPlane;
import io.datafabric.drms.control.JdbcSchemaLookup;
import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.GraphParser;
import io.datafabric.drms.graph.GraphValidator;
import io.datafabric.replication.ReplicationPipeline;
import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.control.ControlPlaneSource;
import io.datafabric.replication.events.EventPublishOptions;
import io.datafabric.replication.events.EventQueueSource;
import io.datafabric.replication.exec.EdgeTaskRunner;
import io.datafabric.replication.exec.JdbcEdgeTaskRunner;
import io.datafabric.replication.exec.TaskOutcome;
import io.datafabric.replication.exec.TaskReport;
import io.datafabric.testing.LocalServices;
import io.datafabric.testing.PostgresDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.source.JdbcSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.streaming.connectors.rabbitmq.RMQSink;
import org.apache.flink.streaming.connectors.rabbitmq.common.RMQConnectionConfig;

/**
 * The replication benchmark (run by {@code bench/replication}): initial load against a psql COPY
 * pipe and a naive Flink JdbcSource → JdbcSink pipeline; change propagation through a three-hop
 * graph with and without event triggering; scheduler capacity with simulated one-second tasks
 * against a plain thread pool. Sizes come from environment variables (see the script).
 */
public final class ReplicationBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, customer_id, amount, status, note, updated_at";
    private static final String DDL =
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, amount"
                    + " numeric(12,2) NOT NULL, status text NOT NULL, note text, updated_at"
                    + " timestamp(6) NOT NULL)";

    /** Outcomes counted by the capacity run (the MiniCluster runs in this JVM). */
    static final LongAdder SUCCEEDED = new LongAdder();

    private final Map<String, Object> project = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> peers = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        // Databases are dropped by each part; a run stopped half-way leaves dft_bench* databases
        // (drop them with: psql -c "DROP DATABASE ... WITH (FORCE)").
        new ReplicationBench().run();
    }

    static long env(String name, long fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim().replace("_", ""));
    }

    void run() throws Exception {
        String parts =
                System.getenv().getOrDefault("DRMS_BENCH_PARTS", "load,propagation,capacity");
        if (parts.contains("load")) {
            load(env("DRMS_BENCH_ROWS", 5_000_000), (int) env("DRMS_BENCH_RUNS", 3));
        }
        if (parts.contains("propagation")) {
            propagation((int) env("DRMS_BENCH_PROBES", 60));
        }
        if (parts.contains("capacity")) {
            capacity(
                    (int) env("DRMS_BENCH_EDGES", 300),
                    env("DRMS_BENCH_TASK_MS", 1000),
                    env("DRMS_BENCH_CAPACITY_SECONDS", 60));
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("project", JSON.valueToTree(project));
        out.set("peers", JSON.valueToTree(peers));
        ObjectNode machine = out.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        Path file = Path.of("target/bench/replication.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        System.out.println();
        System.out.println("wrote " + file.toAbsolutePath());
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private Map<String, Object> peer(String name) {
        return peers.computeIfAbsent(name, k -> new LinkedHashMap<>());
    }

    // ---------------------------------------------------------------- initial load

    void load(long rows, int runs) throws Exception {
        System.out.printf(
                "== initial load: %,d rows PostgreSQL -> PostgreSQL, %d run(s)%n", rows, runs);
        PostgresDatabase src = new PostgresDatabase().create("benchsrc");
        try {
            src.execute(DDL);
            long t0 = System.nanoTime();
            src.execute(
                    "INSERT INTO orders SELECT g, g % 10000, (g % 100000) / 100.0, (ARRAY['paid',"
                            + " 'shipped', 'new', 'cancelled'])[1 + g % 4], md5(g::text),"
                            + " timestamp '2024-01-01' + g * interval '1 millisecond' FROM"
                            + " generate_series(1, "
                            + rows
                            + ") g");
            src.execute("VACUUM ANALYZE orders");
            System.out.printf("   source filled in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            List<Double> drms = new ArrayList<>();
            List<Double> step = new ArrayList<>();
            List<Double> copy = new ArrayList<>();
            List<Double> naive = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                // Alternate who goes first: the machine is shared and caches warm up.
                for (int k = 0; k < 4; k++) {
                    switch ((run + k) % 4) {
                        case 0:
                            drms.add(timeDrmsLoad(src, rows));
                            break;
                        case 3:
                            step.add(timeLoadStep(src, rows));
                            break;
                        case 1:
                            copy.add(timeCopyPipe(src, rows));
                            break;
                        default:
                            naive.add(timeNaiveFlink(src, rows));
                            break;
                    }
                }
            }
            double d = median(drms);
            double c = median(copy);
            double n = median(naive);
            project.put("initial_load_rows", rows);
            project.put("initial_load_runs_s", drms);
            project.put("initial_load_median_s", d);
            project.put("initial_load_rows_per_s", Math.round(rows / d));
            peer("psql_copy_pipe").put("initial_load_runs_s", copy);
            peer("psql_copy_pipe").put("initial_load_median_s", c);
            peer("psql_copy_pipe").put("initial_load_rows_per_s", Math.round(rows / c));
            peer("flink_jdbc_naive").put("initial_load_runs_s", naive);
            peer("flink_jdbc_naive").put("initial_load_median_s", n);
            peer("flink_jdbc_naive").put("initial_load_rows_per_s", Math.round(rows / n));
            double l = median(step);
            project.put("initial_load_step_only_runs_s", step);
            project.put("initial_load_step_only_median_s", l);
            project.put("initial_load_step_only_rows_per_s", Math.round(rows / l));
            project.put("initial_load_vs_copy", round2(c / d));
            project.put("initial_load_vs_naive", round2(n / d));
            System.out.printf(
                    "%n%-22s %12s %14s%n%-22s %12.1f %,14d%n%-22s %12.1f %,14d%n%-22s %12.1f %,14d%n%-22s %12.1f %,14d%n"
                            + "drms = %.2fx the COPY pipe (goal >= 0.7), %.2fx the naive pipeline (goal >= 3)%n",
                    "initial load",
                    "median s",
                    "rows/s",
                    "drms (this job)",
                    d,
                    Math.round(rows / d),
                    "drms load step only",
                    l,
                    Math.round(rows / l),
                    "psql COPY pipe",
                    c,
                    Math.round(rows / c),
                    "Flink JDBC naive",
                    n,
                    Math.round(rows / n),
                    c / d,
                    n / d);
        } finally {
            src.drop();
        }
    }

    private double timeDrmsLoad(PostgresDatabase src, long rows) throws Exception {
        PostgresDatabase dst = new PostgresDatabase().create("benchdst");
        PostgresDatabase control = new PostgresDatabase().create("benchctl");
        try {
            ControlPlane plane =
                    new ControlPlane(new JdbcSettings(control.jdbcUrl(), "postgres", ""));
            plane.migrate();
            String yaml =
                    """
                    connections:
                      src: {dialect: postgres, url: "%s", user: postgres}
                      dst: {dialect: postgres, url: "%s", user: postgres}
                    datasets:
                      orders: {connection: src, table: orders, cursor: [updated_at, id]}
                    consumers:
                      load: {dataset: orders, target: {connection: dst, table: orders}, approved: true}
                    """
                            .formatted(src.jdbcUrl(), dst.jdbcUrl());
            DatasetGraph g = GraphValidator.parseValid(yaml, new JdbcSchemaLookup(Map.of()));
            plane.versions().apply(yaml, g, "bench", null);
            ReplicationSettings rs = settings(control, Map.of());
            String runId = UUID.randomUUID().toString();
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            StreamExecutionEnvironment env = localEnv(1);
            ReplicationPipeline.builder(
                            rs,
                            new ControlPlaneSource(rs.control(), rs.pollInterval(), runId),
                            JdbcEdgeTaskRunner.factory(rs))
                    .boundedRun(runId)
                    .build(env);
            env.execute("bench drms load");
            double s = (System.nanoTime() - t0) / 1e9;
            long wall1 = System.currentTimeMillis();
            check(dst, rows, "drms");
            long startMs =
                    control.queryLong(
                            "SELECT (extract(epoch FROM min(started_at)) * 1000)::bigint FROM drms.tasks");
            long endMs =
                    control.queryLong(
                            "SELECT (extract(epoch FROM max(finished_at)) * 1000)::bigint FROM drms.tasks");
            System.out.printf(
                    "   (job start to task start %.1f s, task end to job end %.1f s)%n",
                    (startMs - wall0) / 1000.0, (wall1 - endMs) / 1000.0);
            double task =
                    control.queryLong(
                                    "SELECT (extract(epoch FROM max(finished_at) - min(started_at))"
                                            + " * 1000)::bigint FROM drms.tasks")
                            / 1000.0;
            System.out.printf(
                    "   drms load            %8.1f s (the task itself %.1f s: load and validation)%n",
                    s, task);
            return s;
        } finally {
            dst.drop();
            control.drop();
        }
    }

    /**
     * drms-core's load step alone, as the job's executor calls it but without Flink, the control
     * plane or the end-of-run validation: what the load itself costs.
     */
    private double timeLoadStep(PostgresDatabase src, long rows) throws Exception {
        PostgresDatabase dst = new PostgresDatabase().create("benchdst");
        try (io.datafabric.replication.exec.GraphDatabases pools =
                new io.datafabric.replication.exec.GraphDatabases(
                        Map.of(), 4, java.time.Duration.ofSeconds(30))) {
            var spec =
                    new io.datafabric.drms.graph.ConnectionSpec(
                            "src", "postgres", src.jdbcUrl(), "postgres", "");
            var dspec =
                    new io.datafabric.drms.graph.ConnectionSpec(
                            "dst", "postgres", dst.jdbcUrl(), "postgres", "");
            long t0 = System.nanoTime();
            io.datafabric.drms.task.TaskResult r =
                    new io.datafabric.drms.task.EdgeRunner()
                            .run(
                                    io.datafabric.drms.task.EdgeTask.builder("load")
                                            .source(
                                                    pools.database(spec),
                                                    io.datafabric.drms.sql.TableName.parse(
                                                            "orders"))
                                            .cursorColumns(List.of("updated_at", "id"))
                                            .target(
                                                    pools.database(dspec),
                                                    io.datafabric.drms.sql.TableName.parse(
                                                            "orders"))
                                            .build());
            double s = (System.nanoTime() - t0) / 1e9;
            check(dst, rows, "load step");
            System.out.printf("   drms load step only  %8.1f s (%d batches)%n", s, r.batches());
            return s;
        } finally {
            dst.drop();
        }
    }

    private double timeCopyPipe(PostgresDatabase src, long rows) throws Exception {
        PostgresDatabase dst = new PostgresDatabase().create("benchdst");
        try {
            dst.execute(DDL);
            String cmd =
                    "psql -q -h 127.0.0.1 -U postgres -d %s -c \"\\copy (SELECT %s FROM orders) TO STDOUT\""
                                    .formatted(src.databaseName(), COLUMNS)
                            + " | psql -q -h 127.0.0.1 -U postgres -d %s -c \"\\copy orders (%s) FROM STDIN\""
                                    .formatted(dst.databaseName(), COLUMNS);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", cmd).inheritIO().start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("the psql COPY pipe failed");
            }
            double s = (System.nanoTime() - t0) / 1e9;
            check(dst, rows, "copy pipe");
            System.out.printf("   psql COPY pipe       %8.1f s%n", s);
            return s;
        } finally {
            dst.drop();
        }
    }

    private double timeNaiveFlink(PostgresDatabase src, long rows) throws Exception {
        PostgresDatabase dst = new PostgresDatabase().create("benchdst");
        try {
            dst.execute(DDL);
            long t0 = System.nanoTime();
            StreamExecutionEnvironment env = localEnv(2);
            JdbcSource<OrderRow> source =
                    JdbcSource.<OrderRow>builder()
                            .setDBUrl(src.jdbcUrl())
                            .setUsername("postgres")
                            .setSql("SELECT " + COLUMNS + " FROM orders")
                            .setTypeInformation(TypeInformation.of(OrderRow.class))
                            .setResultExtractor(
                                    rs -> {
                                        OrderRow r = new OrderRow();
                                        r.id = rs.getLong(1);
                                        r.customerId = rs.getLong(2);
                                        r.amount = rs.getBigDecimal(3);
                                        r.status = rs.getString(4);
                                        r.note = rs.getString(5);
                                        r.updatedAt = rs.getTimestamp(6);
                                        return r;
                                    })
                            .build();
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "jdbc source")
                    .sinkTo(
                            JdbcSink.<OrderRow>builder()
                                    .withQueryStatement(
                                            "INSERT INTO orders ("
                                                    + COLUMNS
                                                    + ") VALUES (?, ?, ?, ?, ?, ?)",
                                            (ps, r) -> {
                                                ps.setLong(1, r.id);
                                                ps.setLong(2, r.customerId);
                                                ps.setBigDecimal(3, r.amount);
                                                ps.setString(4, r.status);
                                                ps.setString(5, r.note);
                                                ps.setTimestamp(6, r.updatedAt);
                                            })
                                    .withExecutionOptions(JdbcExecutionOptions.defaults())
                                    .buildAtLeastOnce(
                                            new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                                                    .withUrl(dst.jdbcUrl())
                                                    .withUsername("postgres")
                                                    .build()));
            env.execute("bench naive jdbc");
            double s = (System.nanoTime() - t0) / 1e9;
            check(dst, rows, "naive flink");
            System.out.printf("   naive Flink JDBC     %8.1f s%n", s);
            return s;
        } finally {
            dst.drop();
        }
    }

    private static void check(PostgresDatabase dst, long rows, String who) throws Exception {
        long n = dst.queryLong("SELECT count(*) FROM orders");
        if (n != rows) {
            throw new IllegalStateException(who + " loaded " + n + " rows, not " + rows);
        }
    }

    // ---------------------------------------------------------------- propagation

    void propagation(int probes) throws Exception {
        System.out.printf("== change propagation through 3 hops, %d probes per variant%n", probes);
        Map<String, Object> events = propagationRun(probes, true);
        Map<String, Object> scheduled = propagationRun(probes, false);
        project.put("propagation_3_hops_events", events);
        peer("schedule_only_1s").put("propagation_3_hops", scheduled);
        System.out.printf(
                "%n%-34s %8s %8s %8s%n%-34s %8d %8d %8d%n%-34s %8d %8d %8d%n",
                "commit -> row in last target (ms)",
                "p50",
                "p99",
                "max",
                "drms, events (hop 1 every 500ms)",
                events.get("p50_ms"),
                events.get("p99_ms"),
                events.get("max_ms"),
                "drms, schedule only (1s per hop)",
                scheduled.get("p50_ms"),
                scheduled.get("p99_ms"),
                scheduled.get("max_ms"));
    }

    private Map<String, Object> propagationRun(int probes, boolean withEvents) throws Exception {
        List<PostgresDatabase> dbs = new ArrayList<>();
        PostgresDatabase control = new PostgresDatabase().create("benchctl");
        String exchange = LocalServices.uniqueName("drms_events", "bench");
        String queue = LocalServices.uniqueName("drms_queue", "bench");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(LocalServices.HOST);
        factory.setPort(LocalServices.RABBITMQ_PORT);
        factory.setUsername(LocalServices.RABBITMQ_USER);
        factory.setPassword(LocalServices.RABBITMQ_PASSWORD);
        JobClient job = null;
        try {
            for (int i = 0; i < 4; i++) {
                dbs.add(new PostgresDatabase().create("benchhop" + i));
            }
            dbs.get(0).execute(DDL);
            dbs.get(0)
                    .execute(
                            "INSERT INTO orders SELECT g, g % 100, g, 'paid', 'seed', now() FROM"
                                    + " generate_series(1, 1000) g");
            String later = withEvents ? "1h" : "1s";
            String hop1 = withEvents ? "500ms" : "1s";
            String yaml =
                    """
                    connections:
                      d0: {dialect: postgres, url: "%s", user: postgres}
                      d1: {dialect: postgres, url: "%s", user: postgres}
                      d2: {dialect: postgres, url: "%s", user: postgres}
                      d3: {dialect: postgres, url: "%s", user: postgres}
                    datasets:
                      o0: {connection: d0, table: orders, cursor: [updated_at, id]}
                      o1: {connection: d1, table: orders, cursor: [updated_at, id]}
                      o2: {connection: d2, table: orders, cursor: [updated_at, id]}
                    consumers:
                      h1: {dataset: o0, target: {connection: d1, table: orders}, schedule: %s, approved: true}
                      h2: {dataset: o1, target: {connection: d2, table: orders}, schedule: %s, approved: true}
                      h3: {dataset: o2, target: {connection: d3, table: orders}, schedule: %s, approved: true}
                    """
                            .formatted(
                                    dbs.get(0).jdbcUrl(),
                                    dbs.get(1).jdbcUrl(),
                                    dbs.get(2).jdbcUrl(),
                                    dbs.get(3).jdbcUrl(),
                                    hop1,
                                    later,
                                    later);
            ControlPlane plane =
                    new ControlPlane(new JdbcSettings(control.jdbcUrl(), "postgres", ""));
            plane.migrate();
            DatasetGraph g = GraphValidator.parseValid(yaml, new JdbcSchemaLookup(Map.of()));
            plane.versions().apply(yaml, g, "bench", null);
            ReplicationSettings rs =
                    settings(
                            control,
                            Map.of("replication.lookback", "1s", "replication.task-slice", "2s"));
            StreamExecutionEnvironment env = localEnv(2);
            env.enableCheckpointing(5_000);
            EventQueueSource source = null;
            SinkFunction<String> sink = null;
            if (withEvents) {
                try (Connection c = factory.newConnection();
                        Channel ch = c.createChannel()) {
                    ch.exchangeDeclare(exchange, "topic", true);
                }
                RMQConnectionConfig rabbit =
                        new RMQConnectionConfig.Builder()
                                .setHost(LocalServices.HOST)
                                .setPort(LocalServices.RABBITMQ_PORT)
                                .setUserName(LocalServices.RABBITMQ_USER)
                                .setPassword(LocalServices.RABBITMQ_PASSWORD)
                                .setVirtualHost("/")
                                .build();
                source = new EventQueueSource(rabbit, exchange, queue);
                sink =
                        new RMQSink<>(
                                rabbit,
                                new SimpleStringSchema(),
                                new EventPublishOptions(exchange));
            }
            ReplicationPipeline pipeline =
                    ReplicationPipeline.builder(
                            rs,
                            new ControlPlaneSource(rs.control(), rs.pollInterval(), null),
                            JdbcEdgeTaskRunner.factory(rs));
            if (source != null) {
                pipeline.events(source);
            }
            if (sink != null) {
                pipeline.eventSink(sink);
            }
            pipeline.build(env);
            job = env.executeAsync("bench propagation");
            PostgresDatabase last = dbs.get(3);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                Long n = null;
                try {
                    n = last.queryLong("SELECT count(*) FROM orders");
                } catch (java.sql.SQLException notYet) {
                    // the last hop has not created its table yet
                }
                if (n != null && n == 1000) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the first snapshots did not reach the last hop");
                }
                Thread.sleep(100);
            }
            Thread.sleep(3000); // let the snapshot tasks' events settle
            long base = 1_000_000;
            Map<Long, Long> committed = new HashMap<>();
            Map<Long, Long> seen = new HashMap<>();
            try (java.sql.Connection w = dbs.get(0).connect();
                    java.sql.Connection r = last.connect();
                    PreparedStatement ins =
                            w.prepareStatement(
                                    "INSERT INTO orders VALUES (?, 1, 1, 'paid', 'probe', clock_timestamp())");
                    PreparedStatement poll =
                            r.prepareStatement("SELECT id FROM orders WHERE id >= ? AND id < ?")) {
                long nextProbe = System.nanoTime();
                int sent = 0;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(probes / 2 + 60);
                while ((sent < probes || seen.size() < probes) && System.nanoTime() < end) {
                    if (sent < probes && System.nanoTime() >= nextProbe) {
                        ins.setLong(1, base + sent);
                        ins.executeUpdate(); // autocommit: the commit is the start
                        committed.put(base + sent, System.nanoTime());
                        sent++;
                        nextProbe += TimeUnit.MILLISECONDS.toNanos(400);
                    }
                    poll.setLong(1, base);
                    poll.setLong(2, base + probes);
                    long at = System.nanoTime();
                    try (ResultSet rs2 = poll.executeQuery()) {
                        while (rs2.next()) {
                            seen.putIfAbsent(rs2.getLong(1), at);
                        }
                    }
                    Thread.sleep(10);
                }
            }
            List<Double> latencies = new ArrayList<>();
            for (Map.Entry<Long, Long> e : committed.entrySet()) {
                Long s = seen.get(e.getKey());
                if (s != null) {
                    latencies.add((s - e.getValue()) / 1e6);
                }
            }
            latencies.sort(Double::compare);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("probes", probes);
            out.put("arrived", latencies.size());
            out.put("hop1_schedule", hop1);
            out.put("hop2_hop3_schedule", later);
            out.put("events", withEvents);
            out.put("p50_ms", Math.round(percentile(latencies, 50)));
            out.put("p99_ms", Math.round(percentile(latencies, 99)));
            out.put(
                    "max_ms",
                    Math.round(
                            latencies.isEmpty()
                                    ? Double.NaN
                                    : latencies.get(latencies.size() - 1)));
            System.out.printf("   %s: %s%n", withEvents ? "events" : "schedule only", out);
            return out;
        } finally {
            if (job != null) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
            if (withEvents) {
                try (Connection c = factory.newConnection();
                        Channel ch = c.createChannel()) {
                    ch.queueDelete(queue);
                    ch.exchangeDelete(exchange);
                } catch (Exception e) {
                    System.err.println("could not delete the bench queue/exchange: " + e);
                }
            }
            for (PostgresDatabase db : dbs) {
                db.drop();
            }
            control.drop();
        }
    }

    // ---------------------------------------------------------------- capacity

    /** A task that only waits: the scheduler's and executor's overhead is what is measured. */
    static final class SimulatedRunner implements EdgeTaskRunner {
        private final long millis;

        SimulatedRunner(long millis) {
            this.millis = millis;
        }

        @Override
        public TaskReport run(
                io.datafabric.drms.graph.EdgeDefinition edge,
                io.datafabric.replication.schedule.TaskRequest.Kind kind)
                throws Exception {
            Thread.sleep(millis);
            return new TaskReport(
                    0,
                    null,
                    null,
                    null,
                    true,
                    io.datafabric.replication.schedule.TaskRequest.Kind.INCREMENTAL);
        }
    }

    static final class CountingSink implements SinkFunction<TaskOutcome> {
        @Override
        public void invoke(TaskOutcome o, Context context) {
            if (o.status() == TaskOutcome.Status.SUCCEEDED) {
                SUCCEEDED.increment();
            }
        }
    }

    void capacity(int edges, long taskMillis, long seconds) throws Exception {
        System.out.printf(
                "== scheduler capacity: %d edges every 1 s, simulated %d ms tasks, 250 in flight, %d s%n",
                edges, taskMillis, seconds);
        PostgresDatabase control = new PostgresDatabase().create("benchctl");
        JobClient job = null;
        try {
            new ControlPlane(new JdbcSettings(control.jdbcUrl(), "postgres", "")).migrate();
            StringBuilder yaml =
                    new StringBuilder(
                            """
                            connections:
                              a: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/a"}
                              b: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1/b"}
                            datasets:
                              t: {connection: a, table: t, cursor: [id]}
                            consumers:
                            """);
            for (int i = 0; i < edges; i++) {
                yaml.append("  e")
                        .append(i)
                        .append(": {dataset: t, target: {connection: b, table: t")
                        .append(i)
                        .append("}, schedule: 1s, approved: true}\n");
            }
            DatasetGraph g = GraphParser.parse(yaml.toString()).graph();
            List<String[]> defs = new ArrayList<>();
            for (String name : g.consumers().keySet()) {
                defs.add(new String[] {name, g.resolve(name).toJson()});
            }
            ReplicationSettings rs = settings(control, Map.of("replication.capacity", "250"));
            StreamExecutionEnvironment env = localEnv(1);
            EdgeTaskRunner.Factory runners = () -> new SimulatedRunner(taskMillis);
            ReplicationPipeline.builder(rs, new FixedEdgesSource(defs), runners)
                    .build(env)
                    .addSink(new CountingSink())
                    .name("count");
            SUCCEEDED.reset();
            job = env.executeAsync("bench capacity");
            Thread.sleep(15_000); // warm-up: every edge scheduled, pools and state created
            long c0 = SUCCEEDED.sum();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000);
            long c1 = SUCCEEDED.sum();
            double s = (System.nanoTime() - t0) / 1e9;
            long perHour = Math.round((c1 - c0) / s * 3600);
            long logged =
                    control.queryLong("SELECT count(*) FROM drms.tasks WHERE status = 'succeeded'");
            project.put("capacity_edges", edges);
            project.put("capacity_task_ms", taskMillis);
            project.put("capacity_in_flight_limit", 250);
            project.put("capacity_tasks_per_hour", perHour);
            project.put("capacity_avg_in_flight", round2((c1 - c0) / s * taskMillis / 1000.0));
            project.put("capacity_task_rows_logged", logged);
            project.put("capacity_vs_goal_100k_per_hour", round2(perHour / 100_000.0));

            long plain = plainPool(edges, taskMillis, seconds);
            peer("plain_thread_pool_250").put("capacity_tasks_per_hour", plain);
            peer("reference_5000_per_hour").put("capacity_tasks_per_hour", 5000);
            System.out.printf(
                    "%n%-32s %14s%n%-32s %,14d%n%-32s %,14d%n%-32s %,14d%n",
                    "scheduler capacity",
                    "tasks/hour",
                    "drms (Flink timers + async I/O)",
                    perHour,
                    "plain ScheduledThreadPool(250)",
                    plain,
                    "reference (goal = 20x this)",
                    5000);
        } finally {
            if (job != null) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
            control.drop();
        }
    }

    /** The same load on a bare scheduled thread pool: each edge starts a task every second. */
    private static long plainPool(int edges, long taskMillis, long seconds) throws Exception {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(250);
        AtomicLong done = new AtomicLong();
        for (int i = 0; i < edges; i++) {
            pool.scheduleAtFixedRate(
                    () -> {
                        try {
                            Thread.sleep(taskMillis);
                            done.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    0,
                    1000,
                    TimeUnit.MILLISECONDS);
        }
        Thread.sleep(5_000);
        long c0 = done.get();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000);
        long c1 = done.get();
        double s = (System.nanoTime() - t0) / 1e9;
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return Math.round((c1 - c0) / s * 3600);
    }

    // ---------------------------------------------------------------- helpers

    private static ReplicationSettings settings(
            PostgresDatabase control, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put("control.jdbc.url", control.jdbcUrl());
        values.put("control.jdbc.user", "postgres");
        values.put("replication.poll-interval", "200ms");
        values.putAll(extra);
        return ReplicationSettings.from(Settings.of(values), Map.of());
    }

    private static StreamExecutionEnvironment localEnv(int parallelism) {
        Configuration conf = new Configuration();
        conf.setString("taskmanager.memory.managed.size", "128m");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.enableCheckpointing(10_000);
        return env;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
