package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.config.UsageConfig;
import io.datafabric.usage.generate.UsageGenerator;
import io.datafabric.usage.read.FailureInjection;
import io.datafabric.usage.sink.LedgerAudit;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop-with-savepoint in the middle of the work and a restart from it: nothing lost or repeated.
 */
class UsageSavepointITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    @TempDir Path dir;
    @TempDir Path savepoints;

    private JobGraph jobGraph(UsagePipeline pipeline) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        pipeline.build(env);
        return env.getStreamGraph().getJobGraph();
    }

    @Test
    void aSavepointRestartNeitherLosesNorRepeatsAnything(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        Migrations.apply(new JdbcSettings(PG.jdbcUrl(), PG.user(), ""), "usage");
        UsageGenerator generator = new UsageGenerator(2_000);
        generator.generate(
                new UsageGenerator.Options(dir, 16, 6L << 20, 2_000, 21, 0, 100_000, "first"),
                null);
        UsageConfig config =
                UsageTestData.config(
                        Map.of(
                                "usage.input", dir.toString(),
                                "jdbc.url", PG.jdbcUrl(),
                                "jdbc.user", PG.user(),
                                "usage.parallelism", "2",
                                "usage.scan-interval", "300ms",
                                "usage.checkpoint-interval", "300ms",
                                "usage.split-size", "2m",
                                "usage.chunk-size", "256k"));

        // the first run is slowed down (a failure hook that never fires, only pauses per chunk)
        // so that the stop surely comes in the middle of the work, even on a fast machine
        UsagePipeline slowed =
                new UsagePipeline(config)
                        .withReadListener(
                                new FailureInjection(
                                        "first-",
                                        Long.MAX_VALUE,
                                        savepoints.resolve("never").toString(),
                                        40));
        JobID first = client.submitJob(jobGraph(slowed)).get();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> UsageTestData.completedFiles(PG) >= 1);
        String savepoint =
                client.stopWithSavepoint(
                                first,
                                false,
                                savepoints.toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        long completedAtStop = UsageTestData.completedFiles(PG);

        // more files arrive while the job is down
        generator.generate(
                new UsageGenerator.Options(dir, 3, 1L << 20, 2_000, 22, 0, 100_000, "second"),
                null);
        JobGraph resumed = jobGraph(new UsagePipeline(config));
        resumed.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        JobID second = client.submitJob(resumed).get();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> UsageTestData.completedFiles(PG) == 19);
        } finally {
            client.cancel(second).get();
        }

        assertThat(completedAtStop).as("the stop came before the end").isLessThan(16);
        assertThat(UsageTestData.totals(PG))
                .isEqualTo(UsageTestData.expected(generator, 2_000, Map.of()));
        try (Connection c = PG.connect()) {
            assertThat(LedgerAudit.verify(c).ok()).isTrue();
        }
    }
}
