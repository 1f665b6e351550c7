package io.datafabric.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.RabbitMqBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.connectors.rabbitmq.RMQSource;
import org.apache.flink.streaming.connectors.rabbitmq.common.RMQConnectionConfig;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ → Flink (RocksDB keyed state, checkpoints) → PostgreSQL through the Flink RabbitMQ and
 * JDBC connectors: rows arrive, and messages are acknowledged only by a completed checkpoint.
 */
class RabbitMqToPostgresITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final RabbitMqBroker RABBIT = new RabbitMqBroker();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    private static final int MESSAGES = 50;

    @TempDir static Path checkpoints;

    @BeforeAll
    static void createTable() throws Exception {
        PG.execute(
                "CREATE TABLE events (id TEXT PRIMARY KEY, body TEXT NOT NULL, seen BIGINT NOT NULL)");
    }

    @Test
    void rowsArriveAndMessagesAreAckedOnlyByCheckpoints(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String queue = RABBIT.newQueue("smoke");
        try (Channel channel = RABBIT.channel()) {
            for (int i = 0; i < MESSAGES; i++) {
                AMQP.BasicProperties props =
                        new AMQP.BasicProperties.Builder()
                                .correlationId("msg-" + i)
                                .deliveryMode(2)
                                .build();
                channel.basicPublish(
                        "", queue, props, ("payload-" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RABBIT.messageCount(queue) == MESSAGES);

        // First run: checkpoints are enabled but far apart, so none completes. The rows reach
        // PostgreSQL, yet no message may be acknowledged: cancelling hands all of them back.
        JobClient first = start(queue, Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> rowCount() == MESSAGES);
        cancel(cluster, first.getJobID());
        await().atMost(Duration.ofSeconds(30)).until(() -> RABBIT.messageCount(queue) == MESSAGES);

        // Second run: the redelivered messages are upserted again (no duplicates), and after a
        // completed checkpoint every message is acknowledged and gone from the queue.
        JobClient second = start(queue, Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                PG.queryLong("SELECT count(*) FROM events WHERE seen = 2")
                                        == MESSAGES);
        cluster.triggerCheckpoint(second.getJobID()).get();
        // Acknowledgement happens when the checkpoint-complete notification reaches the source; a
        // second checkpoint is only triggered once the first has completed and been notified.
        cluster.triggerCheckpoint(second.getJobID()).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> RABBIT.messageCount(queue) == 0);
        cancel(cluster, second.getJobID());

        assertThat(rowCount()).isEqualTo(MESSAGES);
        assertThat(PG.queryLong("SELECT count(*) FROM events WHERE body LIKE 'payload-%'"))
                .isEqualTo(MESSAGES);
        assertThat(RABBIT.messageCount(queue)).isZero();
    }

    private static long rowCount() throws Exception {
        return PG.queryLong("SELECT count(*) FROM events");
    }

    private static void cancel(MiniCluster cluster, JobID job) throws Exception {
        cluster.cancelJob(job).get();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.getJobStatus(job).get() == JobStatus.CANCELED);
    }

    private JobClient start(String queue, Duration checkpointInterval) throws Exception {
        Configuration conf = new Configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(checkpointInterval.toMillis());
        env.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        env.getCheckpointConfig().setCheckpointStorage(checkpoints.toUri().toString());
        env.getConfig().disableGenericTypes();

        RMQConnectionConfig rmq =
                new RMQConnectionConfig.Builder()
                        .setHost(RABBIT.host())
                        .setPort(RABBIT.port())
                        .setUserName("guest")
                        .setPassword("guest")
                        .setVirtualHost("/")
                        .setPrefetchCount(100)
                        .build();
        env.addSource(new RMQSource<>(rmq, queue, true, new SimpleStringSchema()))
                .name("rabbitmq-source")
                .uid("rabbitmq-source")
                .setParallelism(1)
                .keyBy(body -> body, Types.STRING)
                .process(new CountDeliveries())
                .name("count-deliveries")
                .uid("count-deliveries")
                .sinkTo(
                        JdbcSink.<Tuple2<String, Long>>builder()
                                .withQueryStatement(
                                        "INSERT INTO events (id, body, seen) VALUES (?, ?, 1)"
                                                + " ON CONFLICT (id) DO UPDATE SET seen = events.seen + 1",
                                        (ps, row) -> {
                                            ps.setString(1, "id-" + row.f0);
                                            ps.setString(2, row.f0);
                                        })
                                .withExecutionOptions(
                                        JdbcExecutionOptions.builder()
                                                .withBatchSize(10)
                                                .withBatchIntervalMs(100)
                                                .withMaxRetries(0)
                                                .build())
                                .buildAtLeastOnce(
                                        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                                                .withUrl(PG.jdbcUrl())
                                                .withUsername(PG.user())
                                                .withDriverName("org.postgresql.Driver")
                                                .build()))
                .name("postgres-sink");
        return env.executeAsync("smoke-rabbitmq-to-postgres");
    }

    /** Keeps a per-message delivery count in RocksDB keyed state. */
    static final class CountDeliveries
            extends KeyedProcessFunction<String, String, Tuple2<String, Long>> {
        private transient ValueState<Long> count;

        @Override
        public void open(Configuration parameters) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(String body, Context ctx, Collector<Tuple2<String, Long>> out)
                throws Exception {
            long next = count.value() == null ? 1 : count.value() + 1;
            count.update(next);
            out.collect(Tuple2.of(body, next));
        }
    }
}
