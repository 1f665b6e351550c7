package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.config.UsageConfig;
import io.datafabric.usage.generate.UsageGenerator;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.ChunkDeltaSerializer;
import io.datafabric.usage.read.FailureInjection;
import io.datafabric.usage.sink.LedgerAudit;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint upgrade: version 1 of the directory pipeline (2 readers) is stopped with a savepoint
 * in the middle of its work; version 2 (an added stateful operator between readers and sink, 3
 * readers) starts from that savepoint without dropping any state. Its totals equal those of an
 * uninterrupted run over the same files into another database, and the generator's truth.
 */
class UsageSavepointUpgradeITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase UPGRADED = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase UNINTERRUPTED = new PostgresDatabase();

    private static final int FILES = 12;

    @TempDir Path dir;
    @TempDir Path savepoints;

    private UsageConfig config(PostgresDatabase pg, int parallelism, boolean bounded) {
        Map<String, String> values = new HashMap<>();
        values.put("usage.input", dir.toString());
        values.put("jdbc.url", pg.jdbcUrl());
        values.put("jdbc.user", pg.user());
        values.put("usage.parallelism", Integer.toString(parallelism));
        values.put("usage.bounded", Boolean.toString(bounded));
        values.put("usage.scan-interval", "300ms");
        values.put("usage.checkpoint-interval", "300ms");
        values.put("usage.split-size", "1m");
        values.put("usage.chunk-size", "256k");
        return UsageTestData.config(values);
    }

    /** The operator version 2 adds: counts the chunks that pass, in operator state. */
    static final class ChunkAudit extends RichMapFunction<ChunkDelta, ChunkDelta>
            implements CheckpointedFunction {
        private transient ListState<Long> state;
        private transient long seen;

        @Override
        public ChunkDelta map(ChunkDelta delta) {
            seen++;
            return delta;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            state.update(List.of(seen));
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            state =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("chunks-seen", Types.LONG));
            for (Long n : state.get()) {
                seen += n;
            }
        }
    }

    private static JobGraph version1(UsageConfig config, Path never) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // slowed (a listener that only pauses) so the stop surely comes in the middle of the work
        new UsagePipeline(config)
                .withReadListener(new FailureInjection("up-", Long.MAX_VALUE, never.toString(), 60))
                .build(env);
        return env.getStreamGraph().getJobGraph();
    }

    private static JobGraph version2(UsageConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        UsagePipeline pipeline = new UsagePipeline(config);
        pipeline.configure(env);
        DataStream<ChunkDelta> audited =
                pipeline.readDirectory(env, pipeline.directorySource())
                        .map(new ChunkAudit(), ChunkDeltaSerializer.TYPE_INFO)
                        .name("usage-chunk-audit")
                        .uid("usage-chunk-audit");
        pipeline.commitTo(audited, pipeline.sink());
        return env.getStreamGraph().getJobGraph();
    }

    @Test
    void version2FromAVersion1SavepointEndsWithTheTotalsOfAnUninterruptedRun(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        UsageTestData.reset(UPGRADED);
        UsageTestData.reset(UNINTERRUPTED);
        new UsageGenerator(2_000)
                .generate(
                        new UsageGenerator.Options(
                                dir, FILES, 2L << 20, 2_000, 61, 0, 100_000, "up"),
                        null);

        StreamExecutionEnvironment straight = StreamExecutionEnvironment.getExecutionEnvironment();
        new UsagePipeline(config(UNINTERRUPTED, 2, true)).build(straight);
        straight.execute("usage-uninterrupted");

        JobID first =
                client.submitJob(version1(config(UPGRADED, 2, false), savepoints.resolve("never")))
                        .get();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> UsageTestData.completedFiles(UPGRADED) >= 1);
        String savepoint =
                client.stopWithSavepoint(
                                first,
                                false,
                                savepoints.toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        long completedAtStop = UsageTestData.completedFiles(UPGRADED);

        JobGraph upgraded = version2(config(UPGRADED, 3, false));
        // false: every piece of state in the savepoint must find its operator in version 2
        upgraded.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        JobID second = client.submitJob(upgraded).get();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> UsageTestData.completedFiles(UPGRADED) == FILES);
        } finally {
            client.cancel(second).get();
        }

        assertThat(completedAtStop).as("the stop came in the middle of the work").isLessThan(FILES);
        Map<Long, Long> truth = UsageTestData.expectedTotalsCsv(dir);
        assertThat(UsageTestData.totals(UNINTERRUPTED)).isEqualTo(truth);
        assertThat(UsageTestData.totals(UPGRADED)).isEqualTo(UsageTestData.totals(UNINTERRUPTED));
        assertThat(UPGRADED.queryLong("SELECT sum(lines) FROM usage.files"))
                .isEqualTo(UNINTERRUPTED.queryLong("SELECT sum(lines) FROM usage.files"));
        try (Connection c = UPGRADED.connect()) {
            assertThat(LedgerAudit.verify(c).ok()).isTrue();
        }
    }
}
