package io.datafabric.launcher.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What the demo runs on the cluster and database it was given: the usage job fed by the generator,
 * the replication DAG and job, the packer and the api. Knows the ready-to-paste commands that show
 * each part working, and checks the same results for {@code demo --check}.
 */
final class DemoParts implements AutoCloseable {
    /** Usage files the feeder adds at most (one batch every {@link #FEED_EVERY}). */
    private static final int MAX_FEED_BATCHES = 500;

    private static final Duration FEED_EVERY = Duration.ofSeconds(20);

    /** Orders the writer adds at most while the demo runs. */
    private static final int MAX_ORDERS_WRITTEN = 10_000;

    private final Path root;
    private final DemoDatabase db;
    private final DemoCluster cluster;
    private final int apiPort;
    private final String rabbitUri;
    private final DemoCommand.Launcher launcher;
    private final DemoCommand.Runner runner;
    private final boolean checkMode;
    private final ScheduledExecutorService background =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "demo-feeders");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicInteger ordersWritten = new AtomicInteger();
    private final ExpectedTotals expected = new ExpectedTotals();
    private final DemoPacker packer;
    private final DemoApi api;

    DemoParts(
            Path root,
            DemoDatabase db,
            DemoCluster cluster,
            int apiPort,
            String rabbitUri,
            DemoCommand.Launcher launcher,
            DemoCommand.Runner runner,
            boolean checkMode) {
        this.root = root;
        this.db = db;
        this.cluster = cluster;
        this.apiPort = apiPort;
        this.rabbitUri = rabbitUri;
        this.launcher = launcher;
        this.runner = runner;
        this.checkMode = checkMode;
        this.packer = new DemoPacker(root.resolve("packer"), db, launcher);
        this.api = new DemoApi(root.resolve("api"), db, apiPort, packer.archive(), launcher);
    }

    void startAll(DemoCommand.Progress progress) throws Exception {
        progress.step("usage: generating usage files and starting the usage job");
        startUsage();
        progress.done(usageInput().toString());

        progress.step("replication: a table, a slice of it and a copy, and the replication job");
        startReplication();
        progress.done("shop.orders -> big_orders (slice) -> shop_copy.big_orders");

        progress.step("packer: sample files registered in a master table, and the packer job");
        packer.start();
        progress.done(packer.archive().toString());

        progress.step("api: starting on port " + apiPort + " with a demo admin");
        api.start();
        api.awaitReady(Duration.ofSeconds(120));
        progress.done(api.url());
    }

    // ---------------------------------------------------------------- usage

    private Path usageInput() {
        return root.resolve("usage").resolve("input");
    }

    private void startUsage() throws Exception {
        Files.createDirectories(usageInput());
        feedUsageBatch();
        launcher.launch(
                "usage",
                List.of(
                        "usage",
                        "--input",
                        usageInput().toString(),
                        "--jdbc-url",
                        db.jdbcUrl(),
                        "--jdbc-user",
                        db.user(),
                        "--scan-interval",
                        "2s",
                        "--checkpoint-interval",
                        "5s",
                        "--checkpoint-dir",
                        root.resolve("checkpoints").resolve("usage").toUri().toString()));
        if (!checkMode) {
            background.scheduleWithFixedDelay(
                    this::feedQuietly,
                    FEED_EVERY.toSeconds(),
                    FEED_EVERY.toSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    private void feedQuietly() {
        try {
            if (batches.get() < MAX_FEED_BATCHES) {
                feedUsageBatch();
            }
        } catch (Exception e) {
            System.err.println("demo: usage feeder: " + e.getMessage());
        }
    }

    /** Generates a batch with the generator command, then moves its files into the input. */
    private void feedUsageBatch() throws IOException {
        int batch = batches.incrementAndGet();
        Path staging = root.resolve("usage").resolve("staging").resolve("batch-" + batch);
        int code =
                runner.run(
                        List.of(
                                "generate-usage",
                                "--dir",
                                staging.toString(),
                                "--files",
                                "2",
                                "--size-mb",
                                "0.5",
                                "--consumers",
                                "500",
                                "--seed",
                                Integer.toString(batch)));
        if (code != 0) {
            throw new IOException("generate-usage failed with exit code " + code);
        }
        expected.add(staging.resolve("_expected_totals.csv"));
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                Files.move(
                        f,
                        usageInput().resolve("batch-" + batch + "-" + f.getFileName()),
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    // ---------------------------------------------------------------- replication

    private void startReplication() throws Exception {
        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS shop");
            st.execute("CREATE SCHEMA IF NOT EXISTS shop_copy");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS shop.orders ("
                            + " id bigint PRIMARY KEY,"
                            + " customer text NOT NULL,"
                            + " amount numeric(12,2) NOT NULL,"
                            + " status text NOT NULL,"
                            + " updated_at timestamp NOT NULL DEFAULT now())");
        }
        for (int i = 0; i < 200; i++) {
            writeOrder();
        }
        Path graph = root.resolve("replication").resolve("graph.yaml");
        Files.createDirectories(graph.getParent());
        Files.writeString(graph, graphYaml(), StandardCharsets.UTF_8);
        runToEnd(
                "drms apply",
                List.of(
                        "drms",
                        "apply",
                        graph.toString(),
                        "--control-jdbc-url",
                        db.jdbcUrl(),
                        "--control-user",
                        db.user(),
                        "--user",
                        "demo"));
        List<String> replicate =
                new ArrayList<>(
                        List.of(
                                "replicate",
                                "--control-jdbc-url",
                                db.jdbcUrl(),
                                "--control-user",
                                db.user()));
        if (rabbitUri != null) {
            replicate.addAll(List.of("--rabbitmq-uri", rabbitUri));
        }
        launcher.launch("replicate", replicate);
        if (!checkMode) {
            background.scheduleWithFixedDelay(this::writeOrderQuietly, 2, 2, TimeUnit.SECONDS);
        }
    }

    private String graphYaml() {
        return String.join(
                "\n",
                "# The demo's replication graph: a table, a slice of it, and a copy of the slice.",
                "connections:",
                "  demo: {dialect: postgres, url: \""
                        + db.jdbcUrl()
                        + "\", user: "
                        + db.user()
                        + "}",
                "datasets:",
                "  orders: {connection: demo, table: shop.orders, cursor: [updated_at, id]}",
                "  big_orders:",
                "    parent: orders",
                "    columns: [id, customer, amount, status, updated_at]",
                "    filter: {all: [{column: amount, op: \">=\", value: 100}]}",
                "  big_orders_copy: {connection: demo, table: shop_copy.big_orders,"
                        + " cursor: [updated_at, id]}",
                "consumers:",
                "  big_to_copy: {dataset: big_orders, target: {connection: demo, table:"
                        + " shop_copy.big_orders}, schedule: 5s, mode: incremental,"
                        + " approved: true}",
                "");
    }

    private void writeOrderQuietly() {
        try {
            if (ordersWritten.get() < MAX_ORDERS_WRITTEN) {
                writeOrder();
            }
        } catch (SQLException e) {
            System.err.println("demo: order writer: " + e.getMessage());
        }
    }

    private void writeOrder() throws SQLException {
        int id = ordersWritten.incrementAndGet();
        try (Connection c = db.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO shop.orders (id, customer, amount, status)"
                                        + " VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, "customer-" + (id % 37));
            ps.setBigDecimal(3, java.math.BigDecimal.valueOf((id * 7919L) % 250, 0));
            ps.setString(4, id % 3 == 0 ? "shipped" : "paid");
            ps.executeUpdate();
        }
    }

    /** Runs a command to its end in this thread; a failure stops the demo's start-up. */
    private void runToEnd(String what, List<String> args) throws IOException {
        int code = runner.run(args);
        if (code != 0) {
            throw new IOException("'" + what + "' failed with exit code " + code);
        }
    }

    // ---------------------------------------------------------------- what to show, what to check

    void printWelcome(PrintWriter out) {
        String psql = db.psql();
        out.println();
        out.println("DataFabric demo is running. Ctrl-C stops it.");
        out.println("  Flink dashboard   " + cluster.url());
        out.println("  PostgreSQL        " + db.jdbcUrl() + "   (" + psql + ")");
        out.println("  usage input       " + usageInput() + "  (a new batch every 20 s)");
        out.println(
                "  api               "
                        + api.url()
                        + "   (user "
                        + DemoApi.ADMIN
                        + ", password "
                        + api.adminPassword()
                        + ")");
        out.println("  working dir       " + root);
        out.println();
        out.println("Try:");
        out.println(
                "  "
                        + psql
                        + " -c 'SELECT consumer_id, total FROM usage.totals ORDER BY total DESC"
                        + " LIMIT 5'");
        out.println(
                "  "
                        + psql
                        + " -c 'SELECT count(*) FROM shop_copy.big_orders'   # follows"
                        + " shop.orders WHERE amount >= 100");
        out.println(
                "  "
                        + psql
                        + " -c 'SELECT consumer, status, count(*) FROM drms.tasks GROUP BY 1, 2'");
        out.println("  " + psql + " -c 'SELECT name, object_key, length FROM des.files LIMIT 5'");
        out.println(
                "  "
                        + psql
                        + " -c 'SELECT path, status, des_name, archive_location FROM"
                        + " media.files LIMIT 5'");
        out.println("  bin/datafabric des ls " + packer.archive() + "/...   # a shard object");
        out.println("  curl -s " + cluster.url() + "/jobs/overview");
        DemoPacker.Sample sample = firstPackedSample(Duration.ofSeconds(30));
        for (String curl :
                api.curlCommands(sample == null ? "<des_name from des.files>" : sample.desName())) {
            out.println("  " + curl);
        }
    }

    /** The first packed sample file, waiting for the packer's first shard; null if none yet. */
    private DemoPacker.Sample firstPackedSample(Duration wait) {
        try {
            new DemoCheck(
                            "first packed file",
                            () -> packer.packedSample() == null ? "none packed yet" : null)
                    .await(System.nanoTime() + wait.toNanos());
            return packer.packedSample();
        } catch (SQLException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits for each part's result; returns what failed (empty when everything is right). */
    List<String> check(Duration timeout, PrintWriter out) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DemoCheck> checks =
                List.of(
                        new DemoCheck("usage totals equal the generator's", this::usageMatches),
                        new DemoCheck(
                                "replication copy equals the slice", this::replicationMatches),
                        new DemoCheck(
                                "every sample file packed, bytes equal in the archive",
                                packer::allPackedAndEqual),
                        new DemoCheck(
                                "api: login, /usage/top, /datasets and /files/{name} answer right",
                                () -> {
                                    DemoPacker.Sample sample = packer.packedSample();
                                    return sample == null
                                            ? "no packed file yet"
                                            : api.serves(sample.original(), sample.desName());
                                }));
        List<String> failures = new ArrayList<>();
        for (DemoCheck c : checks) {
            String result = c.await(deadline);
            out.println("    " + (result == null ? "ok     " : "FAILED ") + c.name());
            out.flush();
            if (result != null) {
                failures.add(c.name() + ": " + result);
            }
        }
        return failures;
    }

    private String usageMatches() throws SQLException {
        long want = expected.sum();
        long wantConsumers = expected.consumers();
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT coalesce(sum(total), 0), count(*) FROM usage.totals")) {
            rs.next();
            long got = rs.getLong(1);
            long consumers = rs.getLong(2);
            return got == want && consumers == wantConsumers
                    ? null
                    : "sum "
                            + got
                            + " of "
                            + consumers
                            + " consumers, expected "
                            + want
                            + " of "
                            + wantConsumers;
        }
    }

    private String replicationMatches() throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT (SELECT count(*) FROM shop.orders WHERE amount >= 100),"
                                        + " (SELECT count(*) FROM shop_copy.big_orders),"
                                        + " (SELECT count(*) FROM shop.orders o JOIN"
                                        + " shop_copy.big_orders b USING (id) WHERE o.amount >="
                                        + " 100 AND o.amount = b.amount AND o.customer ="
                                        + " b.customer)")) {
            rs.next();
            long slice = rs.getLong(1);
            long copy = rs.getLong(2);
            long same = rs.getLong(3);
            return slice > 0 && slice == copy && copy == same
                    ? null
                    : "slice has " + slice + " rows, copy " + copy + ", equal " + same;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return "the copy table does not exist yet";
            }
            throw e;
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
