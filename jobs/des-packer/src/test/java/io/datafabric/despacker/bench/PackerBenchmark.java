package io.datafabric.despacker.bench;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.despacker.PackerPipeline;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.testing.PostgresDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * bench/des-packer: N files of MIN..MAX KiB in a local directory, registered in a master table,
 * packed end to end (marking, packing into a local archive, DES metadata and master updates) by the
 * packer job on a local Flink environment, next to {@code tar cf} of the same files in the same
 * run. Prints a table and writes the JSON of bench/README.md.
 */
public final class PackerBenchmark {
    public static void main(String[] args) throws Exception {
        int files = Integer.parseInt(env("FILES", "100000"));
        int minKib = Integer.parseInt(env("MIN_KIB", "4"));
        int maxKib = Integer.parseInt(env("MAX_KIB", "64"));
        int tarRuns = Integer.parseInt(env("TAR_RUNS", "3"));
        int parallelism = Integer.parseInt(env("PARALLELISM", "2"));
        Path work =
                Files.createTempDirectory(Path.of(env("BENCH_DIR", "/tmp")), "des-packer-bench");
        Path input = work.resolve("input");
        Path archive = work.resolve("archive");
        PostgresDatabase master = new PostgresDatabase().create("bench_master");
        PostgresDatabase des = new PostgresDatabase().create("bench_des");
        try {
            long bytes = generate(input, files, minKib, maxKib, master);
            System.out.printf(Locale.ROOT, "%d files, %.1f MB in %s%n", files, bytes / 1e6, input);
            List<Long> tarMillis = new ArrayList<>();
            tarMillis.add(tar(input, work.resolve("peer.tar")));

            Map<String, String> keys = new HashMap<>();
            keys.put("des.jdbc.url", des.jdbcUrl());
            keys.put("des.jdbc.user", des.user());
            keys.put("archive.uri", "file://" + archive);
            keys.put("sources.bench.jdbc.url", master.jdbcUrl());
            keys.put("sources.bench.jdbc.user", master.user());
            keys.put("sources.bench.table", "files");
            keys.put("sources.bench.storage.root", "file://" + input);
            keys.put("packer.bounded", "true");
            keys.put("packer.shard-bits", env("SHARD_BITS", "2"));
            keys.put("packer.target-size", env("TARGET_SIZE", "1g"));
            keys.put("packer.batch-size", "5000");
            keys.put("packer.older-than", "1d");
            keys.put("packer.parallelism", String.valueOf(parallelism));
            PackerConfig config = PackerConfig.from(Settings.of(keys), Map.of());
            Migrations.apply(config.desJdbc(), "des");
            Configuration flink = new Configuration();
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(parallelism, flink);
            new PackerPipeline(config).build(env);
            long start = System.nanoTime();
            env.execute("des-packer-bench");
            long packerMillis = (System.nanoTime() - start) / 1_000_000;
            long packed = master.queryLong("SELECT count(*) FROM files WHERE status = 'packed'");
            long shards = des.queryLong("SELECT count(*) FROM des.shards");
            if (packed != files) {
                throw new IllegalStateException("only " + packed + " of " + files + " packed");
            }
            for (int i = 1; i < tarRuns; i++) {
                tarMillis.add(tar(input, work.resolve("peer.tar")));
            }
            tarMillis.sort(Long::compare);
            long tarMedian = tarMillis.get(tarMillis.size() / 2);
            double mb = bytes / 1e6;
            double packerFps = files * 1000.0 / packerMillis;
            double tarFps = files * 1000.0 / tarMedian;
            System.out.printf(
                    Locale.ROOT, "%-34s %10s %10s %10s%n", "", "seconds", "files/s", "MB/s");
            System.out.printf(
                    Locale.ROOT,
                    "%-34s %10.2f %10.0f %10.1f%n",
                    "des-packer (end to end, " + shards + " shards)",
                    packerMillis / 1e3,
                    packerFps,
                    mb * 1000 / packerMillis);
            System.out.printf(
                    Locale.ROOT,
                    "%-34s %10.2f %10.0f %10.1f%n",
                    "tar cf (median of " + tarMillis.size() + ")",
                    tarMedian / 1e3,
                    tarFps,
                    mb * 1000 / tarMedian);
            System.out.printf(
                    Locale.ROOT,
                    "ratio des-packer / tar: %.2f (goal >= 0.5)%n",
                    packerFps / tarFps);
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"project\": {\"files\": %d, \"bytes\": %d, \"seconds\": %.3f,"
                                    + " \"files_per_s\": %.1f, \"mb_per_s\": %.2f, \"shards\": %d,"
                                    + " \"parallelism\": %d},"
                                    + " \"peers\": {\"tar cf\": {\"seconds_median\": %.3f, \"runs\": %d,"
                                    + " \"files_per_s\": %.1f, \"mb_per_s\": %.2f}},"
                                    + " \"ratio\": %.3f,"
                                    + " \"machine\": {\"cores\": %d, \"java\": \"%s\"}}%n",
                            files,
                            bytes,
                            packerMillis / 1e3,
                            packerFps,
                            mb * 1000 / packerMillis,
                            shards,
                            parallelism,
                            tarMedian / 1e3,
                            tarMillis.size(),
                            tarFps,
                            mb * 1000 / tarMedian,
                            packerFps / tarFps,
                            Runtime.getRuntime().availableProcessors(),
                            System.getProperty("java.version"));
            Path out = Path.of(env("OUT", "target/bench/des-packer.json"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json);
            System.out.println("wrote " + out);
        } finally {
            master.drop();
            des.drop();
            if (!"1".equals(System.getenv("KEEP"))) {
                try (Stream<Path> walk = Files.walk(work)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        System.exit(0);
    }

    private static long generate(
            Path input, int files, int minKib, int maxKib, PostgresDatabase master)
            throws Exception {
        Random random = new Random(42);
        long total = 0;
        try (Connection c = master.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute(
                        "CREATE TABLE files (id bigint PRIMARY KEY, path text NOT NULL, size bigint,"
                                + " created_at timestamptz NOT NULL, status text NOT NULL,"
                                + " des_name text, shard integer, archive_location text)");
            }
            c.setAutoCommit(false);
            Timestamp old = Timestamp.from(Instant.now().minus(40, ChronoUnit.DAYS));
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO files (id, path, size, created_at, status)"
                                    + " VALUES (?, ?, ?, ?, 'active')")) {
                byte[] buffer = new byte[maxKib << 10];
                for (int i = 0; i < files; i++) {
                    int size = ((minKib + random.nextInt(maxKib - minKib + 1)) << 10);
                    random.nextBytes(buffer);
                    Path file = input.resolve(String.format("%03d/%07d.bin", i % 256, i));
                    Files.createDirectories(file.getParent());
                    Files.write(file, java.util.Arrays.copyOf(buffer, size));
                    total += size;
                    ps.setLong(1, i);
                    ps.setString(2, "file://" + file);
                    ps.setLong(3, size);
                    ps.setTimestamp(4, old);
                    ps.addBatch();
                    if (i % 5000 == 4999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return total;
    }

    private static long tar(Path input, Path out) throws IOException, InterruptedException {
        Files.deleteIfExists(out);
        long start = System.nanoTime();
        Process p =
                new ProcessBuilder("tar", "cf", out.toString(), "-C", input.toString(), ".")
                        .inheritIO()
                        .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tar failed");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Files.deleteIfExists(out);
        return millis;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
