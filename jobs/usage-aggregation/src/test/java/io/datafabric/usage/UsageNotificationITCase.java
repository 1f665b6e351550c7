package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.RabbitMqBroker;
import io.datafabric.usage.config.UsageConfig;
import io.datafabric.usage.generate.RabbitAnnouncer;
import io.datafabric.usage.generate.UsageGenerator;
import io.datafabric.usage.notify.FileNotification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Notification mode: files announced on RabbitMQ, consumed by RMQSource with checkpoint acks. */
class UsageNotificationITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final RabbitMqBroker RABBIT = new RabbitMqBroker();

    @TempDir Path dir;

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

    @Test
    void announcedFilesAreSummedOnceAndBadNotificationsAreRejected() throws Exception {
        Migrations.apply(new JdbcSettings(PG.jdbcUrl(), PG.user(), ""), "usage");
        String queue = RABBIT.newQueue("usage");
        UsageGenerator generator = new UsageGenerator(300);
        UsageGenerator.Result result;
        try (RabbitAnnouncer announcer = new RabbitAnnouncer(RABBIT.uri(), queue)) {
            result =
                    generator.generate(
                            new UsageGenerator.Options(
                                    dir, 6, 3L << 20, 300, 31, 4_999, 100_000, "note"),
                            announcer);
        }
        Path repeated = result.files().get(0);
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
        }

        UsageConfig config =
                UsageTestData.config(
                        Map.of(
                                "usage.rabbitmq.uri",
                                RABBIT.uri(),
                                "usage.rabbitmq.queue",
                                queue,
                                "jdbc.url",
                                PG.jdbcUrl(),
                                "jdbc.user",
                                PG.user(),
                                "usage.parallelism",
                                "2",
                                "usage.checkpoint-interval",
                                "300ms",
                                "usage.split-size",
                                "1m",
                                "usage.chunk-size",
                                "256k"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new UsagePipeline(config).build(env);
        JobClient job = env.executeAsync("usage-notification-it");
        try {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(300))
                    .until(
                            () ->
                                    UsageTestData.completedFiles(PG) == 6
                                            && PG.queryLong(
                                                            "SELECT count(*) FROM usage.rejects"
                                                                    + " WHERE reason ="
                                                                    + " 'bad-notification'")
                                                    == 3);
            // every message is acknowledged by a completed checkpoint
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> RABBIT.messageCount(queue) == 0);
        } finally {
            job.cancel().get();
        }

        assertThat(UsageTestData.totals(PG))
                .isEqualTo(UsageTestData.expected(generator, 300, Map.of()));
        assertThat(PG.queryLong("SELECT sum(rejects) FROM usage.files"))
                .isEqualTo(result.badLines());
        assertThat(PG.queryLong("SELECT count(*) FROM usage.files")).isEqualTo(6);
    }
}
