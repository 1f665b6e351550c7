package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.datafabric.replication.events.EventPublishOptions;
import io.datafabric.replication.events.EventQueueSource;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.LocalServices;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.RabbitMqBroker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.connectors.rabbitmq.RMQSink;
import org.apache.flink.streaming.connectors.rabbitmq.common.RMQConnectionConfig;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A downstream edge with a one-hour schedule still runs within seconds after its upstream loaded
 * rows, because the upstream's event on {@code drms.events} triggers it; outside subscribers get
 * the same events, valid against the published JSON Schema.
 */
class EventTriggerITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final RabbitMqBroker RMQ = new RabbitMqBroker();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase A = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase B = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase C = new PostgresDatabase();

    static String graph() {
        return """
                connections:
                  a: {dialect: postgres, url: "%s", user: postgres}
                  b: {dialect: postgres, url: "%s", user: postgres}
                  c: {dialect: postgres, url: "%s", user: postgres}
                datasets:
                  orders: {connection: a, table: orders, cursor: [updated_at, id]}
                  orders_b: {connection: b, table: orders, cursor: [updated_at, id]}
                consumers:
                  a_to_b: {dataset: orders, target: {connection: b, table: orders}, schedule: 1s, approved: true}
                  b_to_c: {dataset: orders_b, target: {connection: c, table: orders}, schedule: 1h, approved: true}
                """
                .formatted(A.jdbcUrl(), B.jdbcUrl(), C.jdbcUrl());
    }

    @Test
    void downstreamRunsPromptlyAfterItsUpstreamLoaded() throws Exception {
        A.execute(SourceWriter.DDL);
        SourceWriter writer = new SourceWriter(A.jdbcUrl(), 1, 0, 200, 0);
        try (Connection c = A.connect()) {
            writer.batch(c);
        }
        String exchange = LocalServices.uniqueName("drms_events", "trigger");
        RMQ.deleteAfterwards(exchange);
        String jobQueue = RMQ.newQueue("drms_job");
        String subscriber = RMQ.newQueue("drms_subscriber");
        try (Channel ch = RMQ.channel()) {
            ch.exchangeDeclare(exchange, "topic", true);
            ch.queueBind(subscriber, exchange, "orders");
        }
        ReplicationFixture fx = new ReplicationFixture(CONTROL);
        fx.apply(graph());
        RMQConnectionConfig rabbit = new RMQConnectionConfig.Builder().setUri(RMQ.uri()).build();
        JobClient job =
                fx.start(
                        fx.settings(Map.of()),
                        new EventQueueSource(rabbit, exchange, jobQueue),
                        new RMQSink<>(
                                rabbit,
                                new SimpleStringSchema(),
                                new EventPublishOptions(exchange)),
                        null);
        try {
            // first snapshots: both edges start with one, whatever their schedule
            awaitEqual();
            long before = C.queryLong("SELECT count(*) FROM orders");
            try (Connection c = A.connect()) {
                writer.batch(c);
            }
            long committed = System.nanoTime();
            awaitEqual();
            Duration took = Duration.ofNanos(System.nanoTime() - committed);
            assertThat(C.queryLong("SELECT count(*) FROM orders")).isGreaterThan(before);
            assertThat(took).isLessThan(Duration.ofSeconds(30));
            assertThat(
                            CONTROL.queryLong(
                                    "SELECT count(*) FROM drms.tasks WHERE edge_id = 'b_to_c' AND"
                                            + " kind = 'incremental' AND rows > 0"))
                    .isPositive();

            JsonSchema schema;
            try (InputStream in = getClass().getResourceAsStream("/drms-event.schema.json")) {
                schema =
                        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                                .getSchema(in);
            }
            List<String> events = new ArrayList<>();
            try (Channel ch = RMQ.channel()) {
                GetResponse r;
                while (events.size() < 100 && (r = ch.basicGet(subscriber, true)) != null) {
                    events.add(new String(r.getBody(), StandardCharsets.UTF_8));
                }
            }
            assertThat(events).isNotEmpty();
            ObjectMapper json = new ObjectMapper();
            for (String e : events) {
                assertThat(schema.validate(json.readTree(e))).as(e).isEmpty();
                assertThat(json.readTree(e).get("edge").asText()).isEqualTo("a_to_b");
            }
        } finally {
            job.cancel().get();
        }
    }

    private static void awaitEqual() {
        ReplicationFixture.awaitRows(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            List<String> a =
                                    ReplicationFixture.rows(
                                            A.jdbcUrl(),
                                            "postgres",
                                            "SELECT id, amount, status, updated_at FROM orders");
                            ReplicationFixture.assertSameRows(
                                    a,
                                    ReplicationFixture.rows(
                                            B.jdbcUrl(),
                                            "postgres",
                                            "SELECT id, amount, status, updated_at FROM orders"));
                            ReplicationFixture.assertSameRows(
                                    a,
                                    ReplicationFixture.rows(
                                            C.jdbcUrl(),
                                            "postgres",
                                            "SELECT id, amount, status, updated_at FROM orders"));
                        });
    }
}
