package io.datafabric.des.bench;

import io.datafabric.des.DesReader;
import io.datafabric.des.cache.CaffeineIndexCache;
import io.datafabric.des.cache.IndexCache;
import io.datafabric.des.cli.DesCommand;
import io.datafabric.des.io.FileRangeSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Packs a directory of small files into one DES shard next to {@code tar cf} of the same directory
 * (alternating, median of runs), then times warm random reads from the shard next to reading the
 * same files from the directory. Sizes come from environment variables: FILES (100000), MIN_KIB
 * (4), MAX_KIB (64), READS (10000), RUNS (3), SEED (42), BENCH_DIR (a temp directory), OUT
 * (target/bench/des-format.json). Run through {@code bench/des-format}.
 */
public final class DesFormatBenchmark {
    private final int files = env("FILES", 100_000);
    private final int minKib = env("MIN_KIB", 4);
    private final int maxKib = env("MAX_KIB", 64);
    private final int reads = env("READS", 10_000);
    private final int runs = env("RUNS", 3);
    private final long seed = env("SEED", 42);
    private final Path work;
    private final Path out;
    private final List<String> names = new ArrayList<>();
    private long totalBytes;

    private DesFormatBenchmark() throws IOException {
        String dir = System.getenv("BENCH_DIR");
        work =
                dir == null
                        ? Files.createTempDirectory("des-bench")
                        : Files.createDirectories(Path.of(dir));
        out = Path.of(System.getenv().getOrDefault("OUT", "target/bench/des-format.json"));
    }

    private static int env(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    public static void main(String[] args) throws Exception {
        new DesFormatBenchmark().run();
    }

    private void run() throws Exception {
        Path input = work.resolve("input");
        System.out.printf(
                Locale.ROOT,
                "des-format benchmark: %d files of %d-%d KiB, %d random reads, %d runs, in %s%n",
                files,
                minKib,
                maxKib,
                reads,
                runs,
                work);
        long started = System.nanoTime();
        generate(input);
        System.out.printf(
                Locale.ROOT,
                "generated %.1f MB in %.1f s%n",
                totalBytes / 1e6,
                (System.nanoTime() - started) / 1e9);

        Path shard = work.resolve("shard.des");
        Path tarball = work.resolve("input.tar");
        double[] desSeconds = new double[runs];
        double[] tarSeconds = new double[runs];
        double[] desCpu = new double[runs];
        double[] tarCpu = new double[runs];
        for (int run = 0; run < runs; run++) {
            // Alternate which goes first, so neither always gets the warmer page cache.
            boolean desFirst = run % 2 == 0;
            for (int step = 0; step < 2; step++) {
                if ((step == 0) == desFirst) {
                    Files.deleteIfExists(shard);
                    // Start with no dirty pages, so neither pays for the other's writeback.
                    sync();
                    long cpu = processCpuNanos();
                    desSeconds[run] = time(() -> pack(input, shard));
                    desCpu[run] = (processCpuNanos() - cpu) / 1e9;
                } else {
                    Files.deleteIfExists(tarball);
                    sync();
                    double[] cpu = new double[1];
                    tarSeconds[run] = time(() -> cpu[0] = tar(input, tarball));
                    tarCpu[run] = cpu[0];
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "run %d: des %.2f s (cpu %.2f s), tar %.2f s (cpu %.2f s)%n",
                    run + 1,
                    desSeconds[run],
                    desCpu[run],
                    tarSeconds[run],
                    tarCpu[run]);
        }
        double des = median(desSeconds);
        double tar = median(tarSeconds);
        // Several GB were just written: let writeback finish so it does not disturb the reads.
        sync();

        SplittableRandom random = new SplittableRandom(seed + 1);
        int[] sample = new int[reads];
        for (int i = 0; i < reads; i++) {
            sample[i] = random.nextInt(files);
        }
        CaffeineIndexCache cache = IndexCache.bounded(256L << 20);
        long[] desNanos = new long[reads];
        long[] plainNanos = new long[reads];
        try (DesReader reader =
                DesReader.builder(new FileRangeSource(shard)).cache(cache).build()) {
            reader.entryCount(); // warm the index
            // One unmeasured pass over the sample: JIT-compiles both paths and brings both the
            // shard's and the files' pages into the page cache, so both sides are measured warm.
            for (int i = 0; i < reads; i++) {
                String name = names.get(sample[i]);
                blackhole += reader.read(name).orElseThrow().length;
                blackhole += Files.readAllBytes(input.resolve(name)).length;
            }
            for (int i = 0; i < reads; i++) {
                String name = names.get(sample[i]);
                Path path = input.resolve(name);
                if (i % 2 == 0) {
                    desNanos[i] = timeRead(() -> reader.read(name).orElseThrow().length);
                    plainNanos[i] = timeRead(() -> Files.readAllBytes(path).length);
                } else {
                    plainNanos[i] = timeRead(() -> Files.readAllBytes(path).length);
                    desNanos[i] = timeRead(() -> reader.read(name).orElseThrow().length);
                }
            }
        }
        Arrays.sort(desNanos);
        Arrays.sort(plainNanos);

        Map<String, Object> project = new LinkedHashMap<>();
        project.put("files", files);
        project.put("input_bytes", totalBytes);
        project.put("shard_bytes", Files.size(shard));
        project.put("pack_seconds_median", round(des));
        project.put("pack_seconds_runs", rounded(desSeconds));
        project.put("pack_cpu_seconds_runs", rounded(desCpu));
        project.put("pack_mb_per_s", round(totalBytes / 1e6 / des));
        project.put("pack_files_per_s", round(files / des));
        project.put("reads", reads);
        project.put("read_warm_p50_us", micros(percentile(desNanos, 50)));
        project.put("read_warm_p99_us", micros(percentile(desNanos, 99)));
        project.put("read_warm_mean_us", micros(mean(desNanos)));
        project.put("index_cache_bytes", cache.weightedSize());
        Map<String, Object> tarFigures = new LinkedHashMap<>();
        tarFigures.put("command", "tar cf <out.tar> -C <dir> .");
        tarFigures.put("tar_bytes", Files.size(tarball));
        tarFigures.put("pack_seconds_median", round(tar));
        tarFigures.put("pack_seconds_runs", rounded(tarSeconds));
        tarFigures.put("pack_cpu_seconds_runs", rounded(tarCpu));
        tarFigures.put("pack_mb_per_s", round(totalBytes / 1e6 / tar));
        tarFigures.put("pack_files_per_s", round(files / tar));
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("method", "Files.readAllBytes(path)");
        plain.put("read_p50_us", micros(percentile(plainNanos, 50)));
        plain.put("read_p99_us", micros(percentile(plainNanos, 99)));
        plain.put("read_mean_us", micros(mean(plainNanos)));
        Map<String, Object> goals = new LinkedHashMap<>();
        double packRatio = tar / des;
        double readRatioP50 = (double) percentile(desNanos, 50) / percentile(plainNanos, 50);
        double readRatioP99 = (double) percentile(desNanos, 99) / percentile(plainNanos, 99);
        goals.put("pack_throughput_vs_tar", round(packRatio));
        goals.put("pack_goal_min", 0.8);
        goals.put("pack_goal_met", packRatio >= 0.8);
        goals.put("read_p50_vs_plain", round(readRatioP50));
        goals.put("read_p99_vs_plain", round(readRatioP99));
        goals.put("read_goal_max", 1.5);
        goals.put("read_goal_met", readRatioP50 <= 1.5 && readRatioP99 <= 1.5);
        project.put("goals", goals);

        Map<String, Object> peers = new LinkedHashMap<>();
        peers.put("tar", tarFigures);
        peers.put("plain-files", plain);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("project", project);
        root.put("peers", peers);
        root.put("machine", machine());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json(root, "") + "\n");

        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "", "des-format", "peer");
        System.out.printf(
                Locale.ROOT,
                "%-34s %14.1f %14.1f  (tar)%n",
                "pack MB/s (median)",
                totalBytes / 1e6 / des,
                totalBytes / 1e6 / tar);
        System.out.printf(
                Locale.ROOT,
                "%-34s %14.0f %14.0f  (tar)%n",
                "pack files/s (median)",
                files / des,
                files / tar);
        System.out.printf(
                Locale.ROOT,
                "%-34s %14.1f %14.1f  (plain files)%n",
                "random read p50 us (warm index)",
                micros(percentile(desNanos, 50)),
                micros(percentile(plainNanos, 50)));
        System.out.printf(
                Locale.ROOT,
                "%-34s %14.1f %14.1f  (plain files)%n",
                "random read p99 us (warm index)",
                micros(percentile(desNanos, 99)),
                micros(percentile(plainNanos, 99)));
        System.out.printf(
                Locale.ROOT,
                "pack throughput vs tar: %.2fx (goal >= 0.8x): %s%n",
                packRatio,
                packRatio >= 0.8 ? "met" : "MISSED");
        System.out.printf(
                Locale.ROOT,
                "read latency vs plain files: p50 %.2fx, p99 %.2fx (goal <= 1.5x): %s%n",
                readRatioP50,
                readRatioP99,
                readRatioP50 <= 1.5 && readRatioP99 <= 1.5 ? "met" : "MISSED");
        System.out.println("wrote " + out.toAbsolutePath());
        if (!"1".equals(System.getenv("KEEP"))) {
            deleteTree(work);
        }
    }

    private static long blackhole;

    private void generate(Path input) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[maxKib << 10];
        for (int i = 0; i < files; i++) {
            String name = String.format(Locale.ROOT, "d%03d/f%06d.bin", i % 256, i);
            names.add(name);
            int size = (minKib << 10) + random.nextInt(((maxKib - minKib) << 10) + 1);
            for (int at = 0; at < size; at += 8) {
                long v = random.nextLong();
                for (int b = 0; b < 8 && at + b < size; b++) {
                    buffer[at + b] = (byte) (v >>> (8 * b));
                }
            }
            Path path = input.resolve(name);
            if (i < 256) {
                Files.createDirectories(path.getParent());
            }
            try (OutputStream stream = Files.newOutputStream(path)) {
                stream.write(buffer, 0, size);
            }
            totalBytes += size;
        }
    }

    private static void pack(Path input, Path shard) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DesCommand(new ByteArrayOutputStream()));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("pack-dir", input.toString(), shard.toString());
        if (code != 0) {
            throw new IllegalStateException("des pack-dir failed: " + err);
        }
    }

    /** Runs tar under GNU time and returns its CPU seconds (user + system). */
    private static double tar(Path input, Path tarball) throws Exception {
        Path times = Files.createTempFile("tar-time", ".txt");
        try {
            Process process =
                    new ProcessBuilder(
                                    "/usr/bin/time",
                                    "-f",
                                    "%U %S",
                                    "-o",
                                    times.toString(),
                                    "tar",
                                    "cf",
                                    tarball.toString(),
                                    "-C",
                                    input.toString(),
                                    ".")
                            .inheritIO()
                            .start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("tar failed with " + process.exitValue());
            }
            String[] fields = Files.readString(times).trim().split("\\s+");
            return Double.parseDouble(fields[fields.length - 2])
                    + Double.parseDouble(fields[fields.length - 1]);
        } finally {
            Files.deleteIfExists(times);
        }
    }

    private static void sync() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Read {
        int run() throws Exception;
    }

    private static double time(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static long timeRead(Read read) throws Exception {
        long start = System.nanoTime();
        blackhole += read.run();
        return System.nanoTime() - start;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static double micros(double nanos) {
        return round(nanos / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    private static List<Double> rounded(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double value : values) {
            list.add(round(value));
        }
        return list;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put(
                "os",
                System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " "
                        + System.getProperty("os.arch"));
        machine.put("cpu", cpuModel());
        machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        machine.put(
                "load_average_at_end",
                round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        machine.put("date", Instant.now().toString());
        return machine;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String json(Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                s.append(indent).append("  ").append(quote(e.getKey().toString())).append(": ");
                s.append(json(e.getValue(), indent + "  "));
                s.append(++i < map.size() ? ",\n" : "\n");
            }
            return s.append(indent).append("}").toString();
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(json(item, indent));
            }
            return "[" + String.join(", ", items) + "]";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return quote(String.valueOf(value));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
