package io.datafabric.launcher.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/demo}: the whole suite on this machine in one process. One local Flink cluster
 * (dashboard on :8081) runs the usage, replication and packer jobs; PostgreSQL is embedded unless
 * {@code DF_JDBC_URL} names one; object storage is a local directory; the api serves on :8080.
 *
 * <p>Every part is started through its own command ({@code usage}, {@code drms apply}, {@code
 * replicate}, ...), exactly as a user would type it, so the demo exercises the real entry points.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole suite locally: embedded PostgreSQL (unless DF_JDBC_URL is set), one"
                    + " Flink cluster with the dashboard, the usage job fed by the generator, a"
                    + " replication DAG with a slice, the packer on sample files, and the api.",
            "Prints the URLs and commands to try; Ctrl-C stops everything."
        })
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--dir",
            description = "Working directory of the demo (default: a temporary directory).")
    Path dir;

    @Option(
            names = "--api-port",
            defaultValue = "8080",
            description = "Port of the api (default ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(
            names = "--pg-port",
            defaultValue = "0",
            description = "Port of the embedded PostgreSQL (default: any free port).")
    int pgPort;

    @Option(
            names = "--check",
            description =
                    "Start everything, verify each part produced its result (the same queries"
                            + " the printed commands run), print the outcome and stop.")
    boolean check;

    @Option(
            names = "--check-timeout",
            defaultValue = "240",
            description = "Seconds --check waits for the results (default ${DEFAULT-VALUE}).")
    int checkTimeoutSeconds;

    private final Supplier<CommandLine> suite;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<Thread> jobs = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param suite a fresh command line of the whole suite ({@code bin/datafabric}), through which
     *     every part is started
     */
    public DemoCommand(Supplier<CommandLine> suite) {
        this.suite = suite;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(out);
        Path root = DemoDirectory.prepare(dir);
        Thread hook = new Thread(this::stop, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DemoParts parts = start(root, progress);
            List<String> failures = new ArrayList<>();
            if (check) {
                progress.step("checking every part's result (up to " + checkTimeoutSeconds + " s)");
                failures = parts.check(Duration.ofSeconds(checkTimeoutSeconds), out);
                out.println(
                        failures.isEmpty()
                                ? "demo check: all parts verified"
                                : "demo check: FAILED: " + String.join("; ", failures));
                out.flush();
                return failures.isEmpty() ? 0 : 1;
            }
            parts.printWelcome(out);
            out.flush();
            new CountDownLatch(1).await();
            return 0;
        } finally {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs stop() itself
            }
        }
    }

    private DemoParts start(Path root, Progress progress) throws Exception {
        DemoDatabase db;
        String url = System.getenv("DF_JDBC_URL");
        if (url != null && !url.isBlank()) {
            progress.step("using PostgreSQL at " + url + " (DF_JDBC_URL)");
            db = DemoDatabase.external(url, envOr("DF_JDBC_USER", "postgres"));
        } else {
            progress.step("starting an embedded PostgreSQL (binaries from Maven)");
            db = DemoDatabase.embedded(root.resolve("postgres"), pgPort);
        }
        resources.push(db);
        progress.done(db.jdbcUrl());

        progress.step("starting the local Flink cluster with the web dashboard");
        int webPort = Integer.getInteger("datafabric.local.web-port", 8081);
        DemoCluster cluster = DemoCluster.start(webPort);
        resources.push(cluster);
        progress.done(cluster.url());

        String rabbit = rabbitMqUri();
        DemoParts parts =
                new DemoParts(
                        root,
                        db,
                        cluster,
                        apiPort,
                        rabbit,
                        this::launch,
                        args -> suite.get().execute(args.toArray(String[]::new)),
                        check);
        resources.push(parts);
        if (rabbit == null) {
            progress.note(
                    "RabbitMQ is not reachable on 127.0.0.1:5672 (set DF_RABBITMQ_URI to point"
                            + " elsewhere): replication events are left out, so downstream"
                            + " edges run on their schedule instead of on upstream events.");
        }
        parts.startAll(progress);
        return parts;
    }

    /** Runs one of the suite's commands in its own thread, as a user would on the command line. */
    private void launch(String name, List<String> args) {
        Thread t =
                new Thread(
                        () -> {
                            int code = suite.get().execute(args.toArray(String[]::new));
                            if (!stopping && code != 0) {
                                System.err.println(
                                        "demo: '" + name + "' stopped with exit code " + code);
                            }
                        },
                        "demo-" + name);
        t.setDaemon(true);
        jobs.add(t);
        t.start();
    }

    private synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                System.err.println("demo: while stopping: " + e.getMessage());
            }
        }
    }

    private static String rabbitMqUri() {
        String configured = System.getenv("DF_RABBITMQ_URI");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 1_000);
            return "amqp://guest:guest@127.0.0.1:5672";
        } catch (IOException e) {
            return null;
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Starts a job command in the background. */
    @FunctionalInterface
    interface Launcher {
        void launch(String name, List<String> args);
    }

    /** Runs one of the suite's commands to its end in the calling thread; returns its exit code. */
    @FunctionalInterface
    interface Runner {
        int run(List<String> args);
    }

    /** Start-up progress, one line per step with its duration. */
    static final class Progress {
        private final PrintWriter out;
        private final long started = System.nanoTime();
        private long stepStarted;
        private int step;

        Progress(PrintWriter out) {
            this.out = out;
        }

        void step(String what) {
            stepStarted = System.nanoTime();
            out.printf("[%d] %s ...%n", ++step, what);
            out.flush();
        }

        void done(String result) {
            out.printf(
                    "    ok in %.1f s%s%n",
                    (System.nanoTime() - stepStarted) / 1e9, result == null ? "" : ": " + result);
            out.flush();
        }

        void note(String text) {
            out.println("    note: " + text);
            out.flush();
        }

        double elapsedSeconds() {
            return (System.nanoTime() - started) / 1e9;
        }
    }
}
