package io.datafabric.despacker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.des.DesReader;
import io.datafabric.despacker.commit.PackedShardSink;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.model.FileRef;
import io.datafabric.despacker.model.VersionedTypeInfo;
import io.datafabric.despacker.pack.ShardAssembler;
import io.datafabric.despacker.source.MarkedFileSource;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoint upgrade: version 1 of the job (two markers, two assemblers) is stopped with a savepoint
 * while every file sits in an open shard; version 2 (one more operator, parallelism 1, a shorter
 * max-wait) resumes from it. The outcome equals an uninterrupted run: every row packed under the
 * name version 1 gave it, with its original bytes, each in exactly one shard, nothing marked again.
 */
class PackerSavepointITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase MASTER = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DES = new PostgresDatabase();

    @TempDir Path tmp;

    @Test
    void version2ResumesVersion1sSavepointWithAnotherGraphAndParallelism() throws Exception {
        MasterFiles master = new MasterFiles(MasterFiles.Contract.defaults("files"));
        Path storage = tmp.resolve("storage");
        Random random = new Random(20);
        int count = 40;
        try (Connection c = MASTER.connect()) {
            master.createTable(c);
            for (int i = 0; i < count; i++) {
                byte[] bytes = new byte[random.nextInt(20 << 10)];
                random.nextBytes(bytes);
                Path file = storage.resolve(MasterFiles.fileName(i));
                MasterFiles.write(file, bytes);
                master.insert(c, String.valueOf(i), "file://" + file, (long) bytes.length, 40, "d");
                master.rows.add(
                        new MasterFiles.Row(
                                String.valueOf(i), "file://" + file, bytes, true, null));
            }
        }
        Map<String, String> keys = new LinkedHashMap<>(master.contract.settings("m"));
        keys.put("sources.m.jdbc.url", MASTER.jdbcUrl());
        keys.put("sources.m.jdbc.user", MASTER.user());
        keys.put("sources.m.storage.root", "file://" + storage);
        keys.put("des.jdbc.url", DES.jdbcUrl());
        keys.put("des.jdbc.user", DES.user());
        keys.put("archive.uri", "file://" + tmp.resolve("archive"));
        keys.put("packer.shard-bits", "2");
        keys.put("packer.batch-size", "5");
        keys.put("packer.mark-interval", "100ms");
        keys.put("packer.reconcile-interval", "300ms");
        keys.put("packer.checkpoint-interval", "200ms");
        keys.put("packer.max-wait", "1h");
        keys.put("packer.parallelism", "2");
        keys.put("packer.marker-parallelism", "2");
        PackerConfig v1 = PackerConfig.from(Settings.of(keys), Map.of());
        Migrations.apply(v1.desJdbc(), "des");

        StreamExecutionEnvironment env1 = StreamExecutionEnvironment.getExecutionEnvironment();
        new PackerPipeline(v1).build(env1);
        JobClient job1 = env1.executeAsync("packer-v1");
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                MASTER.queryLong(
                                                "SELECT count(*) FROM files WHERE status = 'marked'")
                                        == count);
        // A stop right after start can find a subtask still deploying ("not all required tasks
        // are currently running"); the job keeps running then, so the stop is simply asked again.
        String savepoint =
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(
                                () ->
                                        job1.stopWithSavepoint(
                                                        false,
                                                        tmp.resolve("savepoints")
                                                                .toUri()
                                                                .toString(),
                                                        SavepointFormatType.CANONICAL)
                                                .get(),
                                path -> path != null);
        Map<String, String> namesAtSavepoint = names(master);
        assertThat(DES.queryLong("SELECT count(*) FROM des.files")).isZero();

        keys.put("packer.parallelism", "1");
        keys.put("packer.marker-parallelism", "1");
        keys.put("packer.max-wait", "200ms");
        PackerConfig v2 = PackerConfig.from(Settings.of(keys), Map.of());
        Configuration resume = new Configuration();
        resume.set(SavepointConfigOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment env2 =
                StreamExecutionEnvironment.getExecutionEnvironment(resume);
        env2.getConfig().disableGenericTypes();
        env2.setMaxParallelism(v2.maxParallelism());
        env2.enableCheckpointing(200);
        env2.addSource(new MarkedFileSource(v2), "des-packer marker", VersionedTypeInfo.fileRef())
                .uid(PackerPipeline.MARKER_UID)
                .setParallelism(1)
                .map(ref -> ref, VersionedTypeInfo.fileRef()) // the operator version 2 adds
                .name("v2 pass-through")
                .uid("des-packer-v2-pass-through")
                .setParallelism(1)
                .keyBy(FileRef::shardKey, Types.STRING)
                .process(new ShardAssembler(v2), VersionedTypeInfo.committable())
                .uid(PackerPipeline.ASSEMBLER_UID)
                .setParallelism(1)
                .sinkTo(new PackedShardSink(v2))
                .uid(PackerPipeline.COMMIT_UID)
                .setParallelism(1);
        JobClient job2 = env2.executeAsync("packer-v2");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    MASTER.queryLong(
                                                    "SELECT count(*) FROM files WHERE status = 'packed'")
                                            == count);
        } finally {
            job2.cancel().get();
        }

        // the same outcome as an uninterrupted run
        assertThat(names(master)).isEqualTo(namesAtSavepoint);
        Map<String, Integer> inShards = new HashMap<>();
        try (Connection c = MASTER.connect()) {
            Map<String, String[]> state = master.state(c);
            for (MasterFiles.Row row : master.rows) {
                String[] s = state.get(row.id());
                assertThat(s[0]).isEqualTo("packed");
                try (DesReader reader =
                        DesReader.open(Path.of(s[2].substring("file://".length())))) {
                    assertThat(reader.read(s[1]).orElseThrow()).isEqualTo(row.bytes());
                }
            }
        }
        try (Connection c = DES.connect();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT name FROM des.files")) {
            while (rs.next()) {
                inShards.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        assertThat(inShards.keySet())
                .containsExactlyInAnyOrderElementsOf(namesAtSavepoint.values());
    }

    private static Map<String, String> names(MasterFiles master) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = MASTER.connect()) {
            master.state(c).forEach((id, s) -> out.put(id, s[1]));
        }
        return out;
    }
}
