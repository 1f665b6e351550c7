package io.datafabric.despacker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.des.DesEntry;
import io.datafabric.des.DesReader;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crashes the running packer once at each point of the commit order (mid-upload, after the upload
 * before any metadata, after the DES metadata before the master update); Flink restores the last
 * checkpoint and goes on. Every run must end consistent: each packed row's location serves the
 * original bytes, no metadata points at a missing object, each file is in exactly one recorded
 * shard, and {@code des gc} finds exactly the objects nothing references and removes them without
 * breaking a single read.
 */
class PackerCrashITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase MASTER = new PostgresDatabase();
    private PostgresDatabase des;

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"mid-upload", "after-upload", "after-des-metadata"})
    void endsConsistentAfterACrash(String point) throws Exception {
        des = new PostgresDatabase().create("crash_" + point.replace('-', '_'));
        try {
            crashAndCheck(point);
        } finally {
            des.drop();
        }
    }

    private void crashAndCheck(String point) throws Exception {
        String table = "files_" + point.replace('-', '_');
        MasterFiles master = new MasterFiles(MasterFiles.Contract.defaults(table));
        Path storage = tmp.resolve("storage");
        Path archive = tmp.resolve("archive");
        Random random = new Random(point.hashCode());
        int count = 90;
        try (Connection c = MASTER.connect()) {
            master.createTable(c);
            for (int i = 0; i < count; i++) {
                byte[] bytes = new byte[i % 10 == 0 ? 0 : 1 + random.nextInt(12 << 10)];
                random.nextBytes(bytes);
                Path file = storage.resolve(MasterFiles.fileName(i));
                MasterFiles.write(file, bytes);
                String path = "file://" + file;
                String failure = null;
                if (i == 5) {
                    Files.delete(file);
                    failure = "missing";
                }
                master.insert(c, String.valueOf(i + 1), path, (long) bytes.length, 40, "doc");
                master.rows.add(
                        new MasterFiles.Row(String.valueOf(i + 1), path, bytes, true, failure));
            }
        }
        Path marker = tmp.resolve("failure-fired");
        Map<String, String> keys = new LinkedHashMap<>(master.contract.settings("m"));
        keys.put("sources.m.jdbc.url", MASTER.jdbcUrl());
        keys.put("sources.m.jdbc.user", MASTER.user());
        keys.put("sources.m.storage.root", "file://" + storage);
        keys.put("des.jdbc.url", des.jdbcUrl());
        keys.put("des.jdbc.user", des.user());
        keys.put("archive.uri", "file://" + archive);
        keys.put("packer.shard-bits", "2");
        keys.put("packer.target-size", "48k");
        keys.put("packer.max-wait", "300ms");
        keys.put("packer.batch-size", "10");
        keys.put("packer.mark-interval", "100ms");
        keys.put("packer.reconcile-interval", "500ms");
        keys.put("packer.checkpoint-interval", "300ms");
        keys.put("packer.parallelism", "2");
        keys.put("packer.marker-parallelism", "2");
        keys.put("packer.test.fail-at", point);
        keys.put("packer.test.fail-marker", marker.toString());
        PackerConfig config = PackerConfig.from(Settings.of(keys), Map.of());
        Migrations.apply(config.desJdbc(), "des");

        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        flink.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        new PackerPipeline(config).build(env);
        JobClient job = env.executeAsync("packer-crash-" + point);
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    jobStillRunning(job)
                                            && Files.exists(marker)
                                            && MASTER.queryLong(
                                                            "SELECT count(*) FROM "
                                                                    + table
                                                                    + " WHERE status IN"
                                                                    + " ('packed', 'failed')")
                                                    == count);
        } finally {
            job.cancel().get();
        }

        Map<String, byte[]> byName = new HashMap<>();
        try (Connection c = MASTER.connect()) {
            Map<String, String[]> state = master.state(c);
            for (MasterFiles.Row row : master.rows) {
                String[] s = state.get(row.id());
                if (row.expectedFailure() != null) {
                    assertThat(s[0]).isEqualTo("failed");
                    continue;
                }
                assertThat(s[0]).as(row.id()).isEqualTo("packed");
                assertThat(s[2]).startsWith("file://" + archive + "/des/m/shard-");
                Path object = Path.of(s[2].substring("file://".length()));
                try (DesReader reader = DesReader.open(object)) {
                    assertThat(reader.read(s[1]).orElseThrow()).as(row.id()).isEqualTo(row.bytes());
                }
                byName.put(s[1], row.bytes());
            }
        }
        Set<String> referenced = referencedKeys();
        assertEveryRecordedFileReads(archive, byName, referenced);

        // gc: lists exactly the unreferenced shard objects and stale uploads, then removes them
        Set<String> unreferenced = new TreeSet<>(packerFiles(archive));
        unreferenced.removeAll(referenced);
        Path yaml = tmp.resolve("gc.yaml");
        Files.writeString(
                yaml,
                "des: {jdbc: {url: \"%s\", user: \"%s\"}}\narchive: {uri: \"file://%s\"}\n"
                        .formatted(des.jdbcUrl(), des.user(), archive));
        String dry = PackerITCase.gc(yaml, "--dry-run", "--min-age", "0s");
        for (String key : unreferenced) {
            assertThat(dry).contains("orphan " + key);
        }
        assertThat(dry)
                .contains(
                        referenced.size()
                                + " referenced shard objects, "
                                + unreferenced.size()
                                + " unreferenced");
        String removed = PackerITCase.gc(yaml, "--min-age", "0s");
        assertThat(removed).contains(unreferenced.size() + " removed");
        assertThat(new TreeSet<>(packerFiles(archive))).isEqualTo(new TreeSet<>(referenced));
        assertEveryRecordedFileReads(archive, byName, referenced);
    }

    /** Fails the wait at once with the job's own error when the job ended. */
    private static boolean jobStillRunning(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get();
            throw new AssertionError("the packer job ended: " + job.getJobStatus().get());
        }
        return true;
    }

    /** Every des.files row reads back its original; each file is in exactly one recorded shard. */
    private void assertEveryRecordedFileReads(
            Path archive, Map<String, byte[]> byName, Set<String> referenced) throws Exception {
        Map<String, Integer> seen = new HashMap<>();
        for (String key : referenced) {
            try (DesReader reader = DesReader.open(archive.resolve(key))) {
                for (DesEntry e : reader.list()) {
                    seen.merge(e.name(), 1, Integer::sum);
                }
            }
        }
        assertThat(seen.keySet()).isEqualTo(byName.keySet());
        assertThat(seen.values()).allMatch(n -> n == 1);
        try (Connection c = des.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT name, object_key, \"offset\", length FROM des.files")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                byte[] expected = byName.get(rs.getString(1));
                assertThat(referenced).contains(rs.getString(2));
                byte[] all = Files.readAllBytes(archive.resolve(rs.getString(2)));
                int off = (int) rs.getLong(3);
                assertThat(java.util.Arrays.copyOfRange(all, off, off + (int) rs.getLong(4)))
                        .isEqualTo(expected);
            }
            assertThat(rows).isEqualTo(byName.size());
        }
    }

    private Set<String> referencedKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        try (Connection c = des.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT object_key FROM des.shards")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    /** Shard objects and in-progress uploads under the archive, as keys relative to its root. */
    private static Set<String> packerFiles(Path archive) throws Exception {
        Set<String> out = new TreeSet<>();
        if (!Files.exists(archive)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(archive)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> archive.relativize(p).toString())
                    .filter(k -> k.endsWith(".des") || k.contains(".des.inprogress."))
                    .forEach(out::add);
        }
        return out;
    }
}
