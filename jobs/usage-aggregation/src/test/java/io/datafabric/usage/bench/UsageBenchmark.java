package io.datafabric.usage.bench;

import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.generate.UsageGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The usage benchmark (run by {@code bench/usage}): the project end to end (read, aggregate, commit
 * into PostgreSQL) and its peers (mawk, DuckDB with the same threads, a naive Flink job) over the
 * same generated files, alternating, each in its own process. Prints a table and writes {@code
 * target/bench/usage.json}.
 *
 * <p>Sizes come from environment variables (see {@code bench/usage}).
 */
public final class UsageBenchmark {
    private static final String MAWK_PROGRAM =
            "{s[$1]+=$2} END{for(k in s) printf \"%s %.0f\\n\", k, s[k]}";

    private final Path work;
    private final int threads;
    private final String jvmOpts;
    private final String xmx;
    private final String checkpointInterval;

    private UsageBenchmark(Path work, int threads, String jvmOpts, String xmx, String interval) {
        this.work = work;
        this.threads = threads;
        this.jvmOpts = jvmOpts;
        this.xmx = xmx;
        this.checkpointInterval = interval;
    }

    /** A data set: a directory of generated files and the truth about them. */
    record DataSet(String name, Path dir, long bytes, int consumers, long rows, BigInteger sum) {}

    /** One measured run. */
    record Run(
            String system,
            String dataSet,
            double seconds,
            double jobSeconds,
            long heapMb,
            long rssMb,
            boolean correct) {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(env("BENCH_WORK", "target/bench")).toAbsolutePath();
        int threads = Integer.parseInt(env("BENCH_THREADS", "2"));
        UsageBenchmark bench =
                new UsageBenchmark(
                        work,
                        threads,
                        env("BENCH_JVM_OPTS", ""),
                        env("BENCH_XMX", "3g"),
                        env("BENCH_CHECKPOINT_INTERVAL", "5s"));
        int repeat = Integer.parseInt(env("BENCH_REPEAT", "3"));
        int naiveRepeat = Integer.parseInt(env("BENCH_NAIVE_REPEAT", "1"));
        long fileMb = Long.parseLong(env("BENCH_FILE_MB", "128"));
        List<DataSet> sets = new ArrayList<>();
        if (repeat > 0) {
            sets.add(
                    bench.dataSet(
                            "A",
                            Long.parseLong(env("BENCH_A_MB", "1024")),
                            fileMb,
                            Integer.parseInt(env("BENCH_A_CONSUMERS", "100000"))));
            sets.add(
                    bench.dataSet(
                            "B",
                            Long.parseLong(env("BENCH_B_MB", "200")),
                            fileMb,
                            Integer.parseInt(env("BENCH_B_CONSUMERS", "10000000"))));
        }
        long bigMb = Long.parseLong(env("BENCH_C_MB", "0"));
        DataSet big =
                bigMb > 0
                        ? bench.dataSet(
                                "C",
                                bigMb,
                                fileMb,
                                Integer.parseInt(env("BENCH_C_CONSUMERS", "100000")))
                        : null;

        PostgresDatabase pg = new PostgresDatabase().create("usagebench");
        List<Run> runs = new ArrayList<>();
        try {
            for (DataSet set : sets) {
                List<String> systems = new ArrayList<>(List.of("project", "duckdb", "mawk"));
                for (int r = 0; r < repeat; r++) {
                    List<String> order = new ArrayList<>(systems);
                    java.util.Collections.rotate(order, r);
                    if (r < naiveRepeat) {
                        order.add("naive-flink");
                    }
                    for (String system : order) {
                        Run run = bench.run(system, set, pg, bench.xmx);
                        runs.add(run);
                        System.out.printf(
                                Locale.ROOT,
                                "  %-12s %s  %7.2f s  %7.1f MB/s  heap %5d MB  rss %5d MB  %s%n",
                                run.system(),
                                set.name(),
                                run.seconds(),
                                set.bytes() / 1e6 / run.seconds(),
                                run.heapMb(),
                                run.rssMb(),
                                run.correct() ? "correct" : "WRONG");
                    }
                }
            }
            if (big != null) {
                // the project with a small heap (memory must not grow with the input), and
                // DuckDB on the same files, where fixed start-up costs weigh less
                String bigXmx = env("BENCH_C_XMX", "768m");
                int bigRepeat = Integer.parseInt(env("BENCH_C_REPEAT", "1"));
                for (int r = 0; r < bigRepeat; r++) {
                    Run run = bench.run("project", big, pg, bigXmx);
                    runs.add(
                            new Run(
                                    "project-Xmx" + bigXmx,
                                    "C",
                                    run.seconds(),
                                    run.jobSeconds(),
                                    run.heapMb(),
                                    run.rssMb(),
                                    run.correct()));
                    runs.add(bench.run("duckdb", big, pg, bench.xmx));
                }
            }
        } finally {
            pg.drop();
        }
        List<DataSet> all = new ArrayList<>(sets);
        if (big != null) {
            all.add(big);
        }
        bench.report(all, runs);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Generates the data set unless the same one is already there. */
    private DataSet dataSet(String name, long mb, long fileMb, int consumers) throws IOException {
        Path dir = work.resolve("data-" + name);
        String spec = mb + "MB/" + fileMb + "MB/" + consumers;
        Path specFile = dir.resolve("_spec");
        Path expected = dir.resolve(UsageGenerator.EXPECTED_TOTALS);
        if (!Files.exists(specFile)
                || !Files.readString(specFile).equals(spec)
                || !Files.exists(expected)) {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            long files = Math.max(1, (mb + fileMb - 1) / fileMb);
            long perFile = (mb << 20) / files;
            System.out.printf("generating data set %s: %s in %d files...%n", name, spec, files);
            new UsageGenerator(consumers)
                    .generate(
                            new UsageGenerator.Options(
                                    dir,
                                    (int) files,
                                    perFile,
                                    consumers,
                                    42,
                                    0,
                                    100_000,
                                    "bench" + name),
                            null);
            Files.writeString(specFile, spec);
        }
        long bytes = 0;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (p.getFileName().toString().endsWith(".txt")) {
                    bytes += Files.size(p);
                }
            }
        }
        long rows = 0;
        BigInteger sum = BigInteger.ZERO;
        try (BufferedReader in = Files.newBufferedReader(expected, StandardCharsets.US_ASCII)) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rows++;
                sum = sum.add(new BigInteger(line.substring(line.indexOf(',') + 1)));
            }
        }
        return new DataSet(name, dir, bytes, consumers, rows, sum);
    }

    private Run run(String system, DataSet set, PostgresDatabase pg, String heap) throws Exception {
        Path out = work.resolve("out-" + system + "-" + set.name() + ".txt");
        List<String> cmd = new ArrayList<>();
        if (system.equals("mawk")) {
            cmd.add("mawk");
            cmd.add(MAWK_PROGRAM);
            try (Stream<Path> list = Files.list(set.dir())) {
                list.filter(p -> p.getFileName().toString().endsWith(".txt"))
                        .sorted()
                        .forEach(p -> cmd.add(p.toString()));
            }
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + heap);
            cmd.addAll(Arrays.stream(jvmOpts.split("\\s+")).filter(s -> !s.isEmpty()).toList());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            switch (system) {
                case "project" -> {
                    cmd.add(ProjectRun.class.getName());
                    cmd.addAll(
                            List.of(
                                    set.dir().toString(),
                                    pg.jdbcUrl(),
                                    pg.user(),
                                    Integer.toString(threads),
                                    work.resolve("checkpoints").toUri().toString(),
                                    checkpointInterval));
                }
                case "duckdb" -> {
                    cmd.add(DuckDbRun.class.getName());
                    cmd.addAll(
                            List.of(
                                    set.dir().toString(),
                                    Integer.toString(threads),
                                    out.toString()));
                }
                case "naive-flink" -> {
                    cmd.add(NaiveFlinkRun.class.getName());
                    cmd.addAll(List.of(set.dir().toString(), Integer.toString(threads)));
                }
                default -> throw new IllegalArgumentException(system);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Path log = work.resolve("log-" + system + "-" + set.name() + ".txt");
        pb.redirectError(log.toFile());
        if (system.equals("mawk")) {
            pb.redirectOutput(out.toFile());
        } else {
            pb.redirectOutput(work.resolve("stdout-" + system + ".txt").toFile());
        }
        long started = System.nanoTime();
        Process p = pb.start();
        long rssKb = 0;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (p.isAlive()) {
            rssKb = Math.max(rssKb, Measured.rssPeakKb(status));
            Thread.sleep(25);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(system + " failed, see " + log);
        }
        if (system.equals("mawk")) {
            long rows = 0;
            BigInteger sum = BigInteger.ZERO;
            try (BufferedReader in = Files.newBufferedReader(out, StandardCharsets.US_ASCII)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    rows++;
                    sum = sum.add(new BigInteger(line.substring(line.indexOf(' ') + 1)));
                }
            }
            return new Run(
                    system,
                    set.name(),
                    wall,
                    -1,
                    0,
                    rssKb >> 10,
                    rows == set.rows() && sum.equals(set.sum()));
        }
        String result =
                Files.readAllLines(work.resolve("stdout-" + system + ".txt")).stream()
                        .filter(l -> l.startsWith("RESULT "))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(system + " reported nothing"));
        Map<String, String> fields = new LinkedHashMap<>();
        for (String kv : result.substring(7).split(" ")) {
            fields.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        boolean correct =
                system.equals("naive-flink")
                        || (Long.parseLong(fields.get("rows")) == set.rows()
                                && new BigInteger(fields.get("sum")).equals(set.sum()));
        return new Run(
                system,
                set.name(),
                wall,
                Double.parseDouble(fields.getOrDefault("jobSeconds", "-1")),
                Long.parseLong(fields.get("peakHeapMb")),
                Math.max(rssKb >> 10, Long.parseLong(fields.get("rssMb"))),
                correct);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void report(List<DataSet> sets, List<Run> runs) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append(
                String.format(
                        Locale.ROOT,
                        "%n| data set | system | runs | median s | MB/s | job-only MB/s | peak heap MB |"
                                + " peak RSS MB | correct |%n"
                                + "|---|---|---|---|---|---|---|---|---|%n"));
        Map<String, Map<String, Map<String, Object>>> bySystem = new LinkedHashMap<>();
        for (DataSet set : sets) {
            Map<String, List<Run>> grouped = new LinkedHashMap<>();
            runs.stream()
                    .filter(r -> r.dataSet().equals(set.name()))
                    .forEach(
                            r ->
                                    grouped.computeIfAbsent(r.system(), k -> new ArrayList<>())
                                            .add(r));
            for (Map.Entry<String, List<Run>> e : grouped.entrySet()) {
                List<Run> rs = e.getValue();
                double seconds = median(rs.stream().map(Run::seconds).toList());
                double mbps = set.bytes() / 1e6 / seconds;
                long heap = rs.stream().mapToLong(Run::heapMb).max().orElse(0);
                long rss = rs.stream().mapToLong(Run::rssMb).max().orElse(0);
                boolean correct = rs.stream().allMatch(Run::correct);
                table.append(
                        String.format(
                                Locale.ROOT,
                                "| %s (%.0f MB, %,d consumers) | %s | %d | %.2f | %.1f | %s | %s | %d"
                                        + " | %s |%n",
                                set.name(),
                                set.bytes() / 1e6,
                                set.consumers(),
                                e.getKey(),
                                rs.size(),
                                seconds,
                                mbps,
                                jobSecondsText(set, rs),
                                e.getKey().equals("mawk") ? "n/a" : Long.toString(heap),
                                rss,
                                e.getKey().equals("naive-flink") ? "not checked" : correct));
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("bytes", set.bytes());
                figures.put("consumers", set.consumers());
                figures.put("runs", rs.size());
                figures.put("median_seconds", round(seconds));
                figures.put("mb_per_s", round(mbps));
                double job = median(rs.stream().map(Run::jobSeconds).toList());
                if (job > 0) {
                    // the job alone, without JVM and cluster start: the steady-state rate
                    figures.put("job_median_seconds", round(job));
                    figures.put("job_mb_per_s", round(set.bytes() / 1e6 / job));
                }
                figures.put("peak_heap_mb", heap);
                figures.put("peak_rss_mb", rss);
                if (e.getKey().equals("naive-flink")) {
                    figures.put("checked", false); // its sums go to a discarding sink
                } else {
                    figures.put("correct", correct);
                }
                // "project-Xmx512m" is the project too, measured with another heap
                String system = e.getKey().startsWith("project") ? "project" : e.getKey();
                String setKey =
                        e.getKey().startsWith("project-")
                                ? set.name() + " " + e.getKey().substring("project-".length())
                                : set.name();
                bySystem.computeIfAbsent(system, k -> new LinkedHashMap<>()).put(setKey, figures);
            }
        }
        System.out.print(table);
        StringBuilder json = new StringBuilder("{\"project\": ");
        json.append(toJson(bySystem.getOrDefault("project", Map.of())));
        json.append(", \"peers\": {");
        boolean first = true;
        for (Map.Entry<String, Map<String, Map<String, Object>>> e : bySystem.entrySet()) {
            if (e.getKey().equals("project")) {
                continue;
            }
            json.append(first ? "" : ", ")
                    .append('"')
                    .append(e.getKey())
                    .append("\": ")
                    .append(toJson(e.getValue()));
            first = false;
        }
        json.append("}, \"machine\": {")
                .append("\"cores\": ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(", \"threads\": ")
                .append(threads)
                .append(", \"java\": \"")
                .append(System.getProperty("java.version"))
                .append('"')
                .append(", \"os\": \"")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.version"))
                .append('"')
                .append(", \"xmx\": \"")
                .append(xmx)
                .append('"')
                .append("}}\n");
        Files.createDirectories(work);
        Files.writeString(work.resolve("usage.json"), json.toString());
        Files.writeString(work.resolve("usage-table.md"), table.toString());
        System.out.println("wrote " + work.resolve("usage.json"));
    }

    private static String jobSecondsText(DataSet set, List<Run> rs) {
        double job = median(rs.stream().map(Run::jobSeconds).toList());
        return job > 0 ? String.format(Locale.ROOT, "%.1f", set.bytes() / 1e6 / job) : "–";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String toJson(Map<String, ? extends Map<String, Object>> sets) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ? extends Map<String, Object>> e : sets.entrySet()) {
            sb.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": {");
            boolean f2 = true;
            for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                sb.append(f2 ? "" : ", ").append('"').append(v.getKey()).append("\": ");
                sb.append(
                        v.getValue() instanceof String ? "\"" + v.getValue() + "\"" : v.getValue());
                f2 = false;
            }
            sb.append('}');
            first = false;
        }
        return sb.append('}').toString();
    }
}
