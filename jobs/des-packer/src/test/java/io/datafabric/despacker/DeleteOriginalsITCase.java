package io.datafabric.despacker;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.des.DesReader;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code packer.delete-originals} and the packer's metrics, each after a bounded {@code pack} run
 * (local source and archive, two assembler subtasks): with the flag on, exactly the originals of
 * packed rows are gone, and each of those rows is recorded in both databases and its location
 * serves the original bytes; failed and not yet eligible rows keep their originals. With the flag
 * off nothing is deleted. The counters reported through a metric reporter registered on the
 * MiniCluster equal what the databases and the archive hold.
 */
class DeleteOriginalsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FlinkMiniCluster.extension(
                    1,
                    4,
                    Configuration.fromMap(
                            Map.of(
                                    "metrics.reporter.retain.factory.class",
                                    RetainingReporter.Factory.class.getName())));

    @RegisterExtension static final PostgresDatabase MASTER = new PostgresDatabase();

    @TempDir Path tmp;

    /** One master row of the test and what must become of its original. */
    private record Case(String id, Path file, byte[] bytes, String expected) {}

    @BeforeEach
    void forgetMetrics() {
        RetainingReporter.clear();
    }

    @Test
    void deletesExactlyThePackedAndVerifiedOriginals() throws Exception {
        PostgresDatabase des = new PostgresDatabase().create("del_on");
        try {
            List<Case> cases = prepare("files_on", 7);
            assertThat(pack("files_on", des, true)).isZero();

            int packed = 0;
            try (Connection c = MASTER.connect()) {
                Map<String, String[]> state = master("files_on").state(c);
                for (Case k : cases) {
                    String[] s = state.get(k.id());
                    assertThat(s[0]).as("status of row %s", k.id()).isEqualTo(k.expected());
                    if (k.expected().equals("packed")) {
                        packed++;
                        assertThat(k.file()).as("original of packed row %s", k.id()).doesNotExist();
                        // recorded in the DES database, pointing at an object that serves it
                        assertThat(
                                        des.queryLong(
                                                "SELECT count(*) FROM des.files f JOIN des.shards s"
                                                        + " ON s.object_key = f.object_key"
                                                        + " WHERE f.name = '"
                                                        + s[1]
                                                        + "'"))
                                .isOne();
                        try (DesReader reader =
                                DesReader.open(Path.of(s[2].substring("file://".length())))) {
                            assertThat(reader.read(s[1]).orElseThrow()).isEqualTo(k.bytes());
                        }
                    } else if (k.bytes() != null) {
                        assertThat(k.file())
                                .as("original of %s row %s", k.expected(), k.id())
                                .hasBinaryContent(k.bytes());
                    }
                }
            }
            assertMetrics(cases, des, packed, packed);
        } finally {
            des.drop();
        }
    }

    @Test
    void deletesNothingWhenTheFlagIsOff() throws Exception {
        PostgresDatabase des = new PostgresDatabase().create("del_off");
        try {
            List<Case> cases = prepare("files_off", 8);
            assertThat(pack("files_off", des, false)).isZero();

            int packed = 0;
            try (Connection c = MASTER.connect()) {
                Map<String, String[]> state = master("files_off").state(c);
                for (Case k : cases) {
                    assertThat(state.get(k.id())[0]).isEqualTo(k.expected());
                    if (k.expected().equals("packed")) {
                        packed++;
                    }
                    if (k.bytes() != null) {
                        assertThat(k.file()).hasBinaryContent(k.bytes());
                    }
                }
            }
            assertThat(packed).isPositive();
            assertMetrics(cases, des, packed, 0);
        } finally {
            des.drop();
        }
    }

    /**
     * The counters summed over subtasks against the truth in the databases: rows marked, files
     * packed and failed, object bytes and shard objects; no shard left open at the end.
     */
    private static void assertMetrics(
            List<Case> cases, PostgresDatabase des, int packed, int deleted) throws Exception {
        long eligible = cases.stream().filter(k -> !k.expected().equals("active")).count();
        long failed = cases.stream().filter(k -> k.expected().equals("failed")).count();
        long shards = des.queryLong("SELECT count(*) FROM des.shards");
        long objectBytes = des.queryLong("SELECT coalesce(sum(size), 0) FROM des.shards");
        assertThat(shards).isGreaterThan(1);
        assertThat(des.queryLong("SELECT count(*) FROM des.files")).isEqualTo(packed);
        assertThat(RetainingReporter.packerCounter("filesMarked")).isEqualTo(eligible);
        assertThat(RetainingReporter.packerCounter("filesAdopted")).isZero();
        assertThat(RetainingReporter.packerCounter("filesPacked")).isEqualTo(packed);
        assertThat(RetainingReporter.packerCounter("filesFailed")).isEqualTo(failed);
        assertThat(RetainingReporter.packerCounter("bytesPacked")).isEqualTo(objectBytes);
        assertThat(RetainingReporter.packerCounter("shardsClosed")).isEqualTo(shards);
        assertThat(RetainingReporter.packerCounter("shardsCommitted")).isEqualTo(shards);
        assertThat(RetainingReporter.packerCounter("filesCommitted")).isEqualTo(packed);
        assertThat(RetainingReporter.packerCounter("failuresCommitted")).isEqualTo(failed);
        assertThat(RetainingReporter.packerCounter("originalsDeleted")).isEqualTo(deleted);
        assertThat(RetainingReporter.packerCounter("originalsKeptAfterFailedVerification"))
                .isZero();
        assertThat(RetainingReporter.packerGaugeMax("openShards")).isZero();
    }

    private static MasterFiles master(String table) {
        return new MasterFiles(MasterFiles.Contract.defaults(table));
    }

    /**
     * 36 rows: packed ones of mixed sizes (zero bytes included), two whose size changed and one
     * whose file is missing (failed), and three too young to be eligible (stay active).
     */
    private List<Case> prepare(String table, long seed) throws Exception {
        MasterFiles master = master(table);
        Path storage = tmp.resolve("storage");
        Random random = new Random(seed);
        List<Case> cases = new ArrayList<>();
        try (Connection c = MASTER.connect()) {
            master.createTable(c);
            for (int i = 0; i < 36; i++) {
                byte[] bytes = new byte[i % 9 == 0 ? 0 : 1 + random.nextInt(20 << 10)];
                random.nextBytes(bytes);
                Path file = storage.resolve(MasterFiles.fileName(i));
                MasterFiles.write(file, bytes);
                String id = String.valueOf(i + 1);
                long declared = bytes.length;
                long ageDays = 40;
                String expected = "packed";
                if (i == 4 || i == 20) {
                    declared += 3;
                    expected = "failed";
                } else if (i == 11) {
                    Files.delete(file);
                    bytes = null;
                    expected = "failed";
                } else if (i == 15 || i == 25 || i == 30) {
                    ageDays = 0;
                    expected = "active";
                }
                master.insert(c, id, "file://" + file, declared, ageDays, "doc");
                cases.add(new Case(id, file, bytes, expected));
            }
        }
        return cases;
    }

    private int pack(String table, PostgresDatabase des, boolean deleteOriginals) throws Exception {
        Path yaml = tmp.resolve("packer.yaml");
        Files.writeString(
                yaml,
                "packer:\n  delete-originals: " + deleteOriginals + "\n",
                StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--config", yaml.toString(), "--bounded"));
        Map<String, String> keys =
                new java.util.LinkedHashMap<>(master(table).contract.settings("m"));
        keys.put("sources.m.jdbc.url", MASTER.jdbcUrl());
        keys.put("sources.m.jdbc.user", MASTER.user());
        keys.put("sources.m.storage.root", "file://" + tmp.resolve("storage"));
        keys.put("sources.m.older-than", "1d");
        keys.put("des.jdbc.url", des.jdbcUrl());
        keys.put("des.jdbc.user", des.user());
        keys.put("archive.uri", "file://" + tmp.resolve("archive"));
        keys.put("packer.shard-bits", "2");
        keys.put("packer.target-size", "64k");
        keys.put("packer.batch-size", "10");
        keys.put("packer.parallelism", "2");
        keys.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        return new CommandLine(new PackCommand()).execute(args.toArray(String[]::new));
    }
}
