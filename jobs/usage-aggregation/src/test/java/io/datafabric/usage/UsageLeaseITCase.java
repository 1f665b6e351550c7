package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.config.UsageConfig;
import io.datafabric.usage.generate.UsageGenerator;
import io.datafabric.usage.sink.LedgerAudit;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two deployments over one input directory: the second is refused with a clear error while the
 * first runs, and no file is counted twice. Truth: the generator's {@code _expected_totals.csv}.
 */
class UsageLeaseITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    @TempDir Path dir;

    private UsageConfig config(boolean bounded) {
        Map<String, String> values = new HashMap<>();
        values.put("usage.input", dir.toString());
        values.put("jdbc.url", PG.jdbcUrl());
        values.put("jdbc.user", PG.user());
        values.put("usage.parallelism", "1");
        values.put("usage.scan-interval", "200ms");
        values.put("usage.checkpoint-interval", "200ms");
        values.put("usage.lease.ttl", "1500ms");
        values.put("usage.bounded", Boolean.toString(bounded));
        return UsageTestData.config(values);
    }

    private static StreamExecutionEnvironment withoutRestarts() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(c);
        return env;
    }

    @Test
    void aSecondDeploymentOnTheSameInputIsRefusedAndNothingIsCountedTwice() throws Exception {
        UsageTestData.reset(PG);
        new UsageGenerator(400)
                .generate(
                        new UsageGenerator.Options(dir, 6, 1L << 20, 400, 51, 0, 100_000, "l"),
                        null);

        StreamExecutionEnvironment firstEnv = withoutRestarts();
        new UsagePipeline(config(false)).build(firstEnv);
        JobClient first = firstEnv.executeAsync("usage-lease-first");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> UsageTestData.completedFiles(PG) >= 1);

            StreamExecutionEnvironment secondEnv = withoutRestarts();
            new UsagePipeline(config(false)).build(secondEnv);
            JobClient second = secondEnv.executeAsync("usage-lease-second");
            assertThatThrownBy(() -> second.getJobExecutionResult().get(60, TimeUnit.SECONDS))
                    .satisfies(
                            e ->
                                    assertThat(ExceptionUtils.stringifyException(e))
                                            .contains(
                                                    "is being read by another usage deployment",
                                                    "only one deployment may read an input"));

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> UsageTestData.completedFiles(PG) == 6);
        } finally {
            first.cancel().get();
        }
        Map<Long, Long> truth = UsageTestData.expectedTotalsCsv(dir);
        assertThat(UsageTestData.totals(PG)).isEqualTo(truth);
        assertThat(PG.queryLong("SELECT count(DISTINCT job_id) FROM usage.commits"))
                .as("only the first deployment committed")
                .isEqualTo(1);

        // once the first deployment is gone, a new one may take the input (and finds it done)
        long commits = PG.queryLong("SELECT count(*) FROM usage.commits");
        StreamExecutionEnvironment thirdEnv = withoutRestarts();
        new UsagePipeline(config(true)).build(thirdEnv);
        thirdEnv.execute("usage-lease-third");
        assertThat(UsageTestData.totals(PG)).isEqualTo(truth);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.commits")).isEqualTo(commits);
        try (Connection c = PG.connect()) {
            assertThat(LedgerAudit.verify(c).ok()).isTrue();
        }
    }
}
