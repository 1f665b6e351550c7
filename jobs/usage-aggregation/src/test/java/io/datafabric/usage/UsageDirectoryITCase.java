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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory pipeline end to end on a MiniCluster with a real PostgreSQL: parallel readers, a
 * big file read in several splits, a failure in the middle of it, rejected lines, a file renamed
 * from {@code .tmp} while the job runs, and then a restart without any state over the same files.
 */
class UsageDirectoryITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    @TempDir Path dir;
    @TempDir Path work;

    private static final int SMALL_CONSUMERS = 500;

    @Test
    void totalsEqualTheGeneratorsTruthAfterAFailureMidFileAndNothingIsCountedTwice()
            throws Exception {
        JdbcSettings jdbc = new JdbcSettings(PG.jdbcUrl(), PG.user(), "");
        Migrations.apply(jdbc, "usage");

        UsageGenerator generator = new UsageGenerator(SMALL_CONSUMERS);
        UsageGenerator.Result small =
                generator.generate(
                        new UsageGenerator.Options(
                                dir, 20, 120_000, SMALL_CONSUMERS, 11, 1_999, 100_000, "small"),
                        null);
        // over 64 MB with few consumers: read as five 16 MiB splits
        UsageGenerator.Result big =
                generator.generate(
                        new UsageGenerator.Options(dir, 1, 70L << 20, 40, 12, 0, 1_000, "big"),
                        null);
        assertThat(big.bytes()).isGreaterThan(64L << 20);
        Path late = dir.resolve("late.txt.tmp");
        Files.writeString(late, "100000 7\n100001 8\nbad line here\n100000 3\n");

        UsageConfig config =
                UsageTestData.config(
                        Map.of(
                                "usage.input", dir.toString(),
                                "jdbc.url", PG.jdbcUrl(),
                                "jdbc.user", PG.user(),
                                "usage.parallelism", "2",
                                "usage.scan-interval", "300ms",
                                "usage.checkpoint-interval", "200ms",
                                "usage.split-size", "16m",
                                "usage.chunk-size", "1m"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        env.configure(restart);
        Path marker = work.resolve("failed-once");
        new UsagePipeline(config)
                .withReadListener(new FailureInjection("big-", 600_000, marker.toString(), 50))
                .build(env);
        JobClient job = env.executeAsync("usage-directory-it");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> UsageTestData.completedFiles(PG) >= 5);
            Files.move(late, dir.resolve("late.txt"));
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> UsageTestData.completedFiles(PG) == 22);
        } finally {
            job.cancel().get();
        }

        assertThat(marker).as("the injected failure happened").exists();
        Path resumed = Path.of(marker + ".resumed");
        assertThat(resumed)
                .as("after the failure a reader was handed the big file's split past its start")
                .exists();
        assertThat(Files.readString(resumed)).contains("big-");
        Map<Long, Long> expected =
                UsageTestData.expected(
                        generator, SMALL_CONSUMERS, Map.of(100_000L, 10L, 100_001L, 8L));
        assertThat(UsageTestData.totals(PG)).isEqualTo(expected);
        long goodLines = small.lines() - small.badLines() + big.lines() + 3;
        assertThat(PG.queryLong("SELECT sum(lines) FROM usage.files")).isEqualTo(goodLines);
        assertThat(PG.queryLong("SELECT sum(rejects) FROM usage.files"))
                .isEqualTo(small.badLines() + 1);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.rejects"))
                .isEqualTo(small.badLines() + 1);
        assertThat(PG.queryLong("SELECT count(DISTINCT file) FROM usage.rejects"))
                .as("rejected lines in several files")
                .isGreaterThan(5);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.rejects WHERE line_no IS NULL"))
                .isZero();
        // "bad line here" is the third line of late.txt
        assertThat(PG.queryLong("SELECT line_no FROM usage.rejects WHERE file LIKE '%late.txt'"))
                .isEqualTo(3);
        assertThat(PG.queryLong("SELECT split_count FROM usage.files WHERE path LIKE '%big-%'"))
                .isEqualTo(5);
        assertThat(PG.queryLong("SELECT sum(amount) FROM usage.by_period"))
                .isEqualTo(PG.queryLong("SELECT sum(total) FROM usage.totals"));
        try (Connection c = PG.connect()) {
            assertThat(LedgerAudit.verify(c).ok()).isTrue();
        }

        // a fresh deployment without any state over the same, already processed files
        long commitsBefore = PG.queryLong("SELECT count(*) FROM usage.commits");
        UsageConfig bounded =
                UsageTestData.config(
                        Map.of(
                                "usage.input",
                                dir.toString(),
                                "jdbc.url",
                                PG.jdbcUrl(),
                                "jdbc.user",
                                PG.user(),
                                "usage.parallelism",
                                "2",
                                "usage.bounded",
                                "true",
                                "usage.checkpoint-interval",
                                "400ms"));
        StreamExecutionEnvironment again = StreamExecutionEnvironment.getExecutionEnvironment();
        new UsagePipeline(bounded).build(again);
        again.execute("usage-directory-it-again");
        assertThat(UsageTestData.totals(PG)).isEqualTo(expected);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.commits")).isEqualTo(commitsBefore);
    }
}
