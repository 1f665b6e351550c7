package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.RabbitMqBroker;
import io.datafabric.usage.config.UsageConfig;
import io.datafabric.usage.generate.RabbitAnnouncer;
import io.datafabric.usage.generate.UsageGenerator;
import io.datafabric.usage.notify.FileNotification;
import io.datafabric.usage.read.FailureInjection;
import io.datafabric.usage.sink.LedgerAudit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notification mode: files announced on RabbitMQ, consumed by RMQSource with checkpoint acks. The
 * truth is the generator's {@code _expected_totals.csv}. Every test ends with the job stopped and
 * its connection closed, so a message the job did not acknowledge is back in the queue and counted.
 */
class UsageNotificationITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final RabbitMqBroker RABBIT = new RabbitMqBroker();

    @TempDir Path dir;
    @TempDir Path work;

    @BeforeEach
    void emptyTables() throws Exception {
        UsageTestData.reset(PG);
    }

    private static void publish(Channel channel, String queue, String body, String correlationId)
            throws Exception {
        channel.basicPublish(
                "",
                queue,
                new AMQP.BasicProperties.Builder()
                        .correlationId(correlationId)
                        .deliveryMode(2)
                        .build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private UsageConfig config(String queue, String splitSize, String parallelism) {
        Map<String, String> values = new HashMap<>();
        values.put("usage.rabbitmq.uri", RABBIT.uri());
        values.put("usage.rabbitmq.queue", queue);
        values.put("jdbc.url", PG.jdbcUrl());
        values.put("jdbc.user", PG.user());
        values.put("usage.parallelism", parallelism);
        values.put("usage.checkpoint-interval", "250ms");
        values.put("usage.split-size", splitSize);
        values.put("usage.chunk-size", "256k");
        values.put("usage.lease.ttl", "2s");
        return UsageTestData.config(values);
    }

    private static StreamExecutionEnvironment environment(int restarts) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        env.configure(restart);
        return env;
    }

    /**
     * Stops the job with a savepoint (whose completion acknowledges what it holds), waits until its
     * consumer is gone and returns the messages in the queue: those never acknowledged are back.
     */
    private long stopAndCountUnacknowledged(JobClient job, String queue) throws Exception {
        job.stopWithSavepoint(
                        false,
                        work.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get();
        return messagesLeftWithoutConsumer(queue);
    }

    private static long messagesLeftWithoutConsumer(String queue) throws Exception {
        try (Channel channel = RABBIT.channel()) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> channel.queueDeclarePassive(queue).getConsumerCount() == 0);
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    @Test
    void aFailureMidFileNeitherLosesNorRepeatsAFileAndEveryMessageIsAcknowledged()
            throws Exception {
        String queue = RABBIT.newQueue("usage");
        UsageGenerator generator = new UsageGenerator(300);
        UsageGenerator.Result small;
        UsageGenerator.Result big;
        try (RabbitAnnouncer announcer = new RabbitAnnouncer(RABBIT.uri(), queue)) {
            small =
                    generator.generate(
                            new UsageGenerator.Options(
                                    dir, 5, 1L << 20, 300, 31, 4_999, 100_000, "note"),
                            announcer);
            // three 4 MiB splits; the failure comes in the middle of one of them
            big =
                    generator.generate(
                            new UsageGenerator.Options(dir, 1, 12L << 20, 300, 32, 0, 1_000, "big"),
                            announcer);
        }
        Path repeated = small.files().get(0);
        Path unfinished = dir.resolve("x.txt.tmp");
        Files.writeString(unfinished, "1 1\n");
        try (Channel channel = RABBIT.channel()) {
            // the same file announced again (a new message, so RMQSource does not drop it)
            publish(
                    channel,
                    queue,
                    new FileNotification(repeated.toString(), Files.size(repeated)).toJson(),
                    "again-1");
            publish(channel, queue, "{\"path\": 42}", "bad-1");
            publish(channel, queue, "\u0000\u00ff not json", "bad-2");
            publish(
                    channel,
                    queue,
                    new FileNotification(unfinished.toString(), 4).toJson(),
                    "tmp-1");
            publish(
                    channel,
                    queue,
                    new FileNotification(dir.resolve("missing.txt").toString(), 4).toJson(),
                    "missing-1");
            publish(
                    channel,
                    queue,
                    new FileNotification("relative/f.txt", 4).toJson(),
                    "relative-1");
            // a valid body without a correlation id: rejected, never read (and no restart loop)
            publish(
                    channel,
                    queue,
                    new FileNotification(repeated.toString(), Files.size(repeated)).toJson(),
                    null);
        }

        Path marker = work.resolve("failed-once");
        StreamExecutionEnvironment env = environment(3);
        new UsagePipeline(config(queue, "4m", "2"))
                .withReadListener(new FailureInjection("big-", 100_000, marker.toString(), 40))
                .build(env);
        JobClient job = env.executeAsync("usage-notification-failure-it");
        long unacknowledged;
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(300))
                    .until(
                            () ->
                                    UsageTestData.completedFiles(PG) == 6
                                            && PG.queryLong(
                                                            "SELECT count(*) FROM usage.rejects"
                                                                    + " WHERE reason ="
                                                                    + " 'bad-notification'")
                                                    == 6);
        } finally {
            unacknowledged = stopAndCountUnacknowledged(job, queue);
        }

        assertThat(unacknowledged).as("messages never acknowledged").isZero();
        assertThat(marker).as("the injected failure happened").exists();
        assertThat(Path.of(marker + ".resumed"))
                .as("after the failure a reader resumed the big file's split past its start")
                .exists();
        assertThat(UsageTestData.totals(PG)).isEqualTo(UsageTestData.expectedTotalsCsv(dir));
        assertThat(PG.queryLong("SELECT count(*) FROM usage.files")).isEqualTo(6);
        assertThat(PG.queryLong("SELECT sum(lines) FROM usage.files"))
                .as("every good line counted once")
                .isEqualTo(small.lines() - small.badLines() + big.lines());
        assertThat(PG.queryLong("SELECT sum(rejects) FROM usage.files"))
                .isEqualTo(small.badLines());
        assertThat(PG.queryLong("SELECT count(*) FROM usage.notified_files")).isEqualTo(6);
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM usage.rejects WHERE raw LIKE"
                                        + " 'message without correlation id%'"))
                .isEqualTo(1);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.input_leases"))
                .as("the lease is given up when the job stops")
                .isZero();
        try (Connection c = PG.connect()) {
            assertThat(LedgerAudit.verify(c).ok()).isTrue();
        }
    }

    @Test
    void aStatelessRestartFinishesAnAcknowledgedFileThatWasHalfRead() throws Exception {
        String queue = RABBIT.newQueue("usage");
        UsageGenerator generator = new UsageGenerator(500);
        try (RabbitAnnouncer announcer = new RabbitAnnouncer(RABBIT.uri(), queue)) {
            generator.generate(
                    new UsageGenerator.Options(dir, 2, 512L << 10, 500, 41, 0, 100_000, "small"),
                    announcer);
            generator.generate(
                    new UsageGenerator.Options(dir, 1, 8L << 20, 500, 42, 0, 1_000, "big"),
                    announcer);
        }
        UsageConfig config = config(queue, "1m", "1");

        // first deployment: the big file is read slowly (a listener that only pauses)
        StreamExecutionEnvironment first = environment(0);
        new UsagePipeline(config)
                .withReadListener(
                        new FailureInjection(
                                "big-", Long.MAX_VALUE, work.resolve("never").toString(), 150))
                .build(first);
        JobClient job = first.executeAsync("usage-notification-first");
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () ->
                                    PG.queryLong(
                                                    "SELECT count(*) FROM usage.file_splits"
                                                            + " WHERE path LIKE '%big-%'")
                                            >= 1);
            // two more commits: the checkpoint that acknowledged the message is long complete
            long commits = PG.queryLong("SELECT count(*) FROM usage.commits");
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> PG.queryLong("SELECT count(*) FROM usage.commits") >= commits + 2);
        } finally {
            // lost state: cancelled, no savepoint, the next deployment starts fresh
            job.cancel().get();
        }
        assertThat(messagesLeftWithoutConsumer(queue))
                .as("all three announcements were acknowledged by the first deployment")
                .isZero();
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM usage.files WHERE path LIKE '%big-%'"
                                        + " AND status = 'completed'"))
                .as("the stop came while the big file was being read")
                .isZero();

        // a fresh deployment without state: nothing on the queue, the big file only in PostgreSQL
        StreamExecutionEnvironment second = environment(0);
        new UsagePipeline(config).build(second);
        JobClient again = second.executeAsync("usage-notification-fresh");
        long unacknowledged;
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> UsageTestData.completedFiles(PG) == 3);
        } finally {
            unacknowledged = stopAndCountUnacknowledged(again, queue);
        }
        assertThat(unacknowledged).isZero();
        assertThat(UsageTestData.totals(PG)).isEqualTo(UsageTestData.expectedTotalsCsv(dir));
        try (Connection c = PG.connect()) {
            assertThat(LedgerAudit.verify(c).ok()).isTrue();
        }
    }
}
