package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.common.config.Settings;
import io.datafabric.drms.control.ControlPlane;
import io.datafabric.drms.control.JdbcSchemaLookup;
import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.GraphValidator;
import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.control.ControlPlaneSource;
import io.datafabric.replication.exec.EdgeTaskRunner;
import io.datafabric.replication.exec.JdbcEdgeTaskRunner;
import io.datafabric.replication.exec.TaskOutcome;
import io.datafabric.testing.PostgresDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * What the replication ITCases share: a control plane, graph applies, running the job, row sets.
 */
final class ReplicationFixture {
    final PostgresDatabase control;

    ReplicationFixture(PostgresDatabase control) {
        this.control = control;
    }

    ControlPlane plane() {
        ControlPlane plane =
                new ControlPlane(
                        new io.datafabric.common.jdbc.JdbcSettings(
                                control.jdbcUrl(), control.user(), ""));
        plane.migrate();
        return plane;
    }

    /** Validates against the databases and applies, as {@code drms apply} does. */
    long apply(String yaml) throws Exception {
        DatasetGraph graph = GraphValidator.parseValid(yaml, new JdbcSchemaLookup(Map.of()));
        return plane().versions().apply(yaml, graph, "test", null).version();
    }

    ReplicationSettings settings(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put("control.jdbc.url", control.jdbcUrl());
        values.put("control.jdbc.user", control.user());
        values.put("replication.poll-interval", "300ms");
        values.put("replication.retry.initial-backoff", "200ms");
        values.put("replication.retry.max-backoff", "1s");
        values.put("replication.batch-rows", "500");
        values.put("replication.capacity", "16");
        values.put("replication.task-slice", "2s");
        values.putAll(extra);
        return ReplicationSettings.from(Settings.of(values), Map.of());
    }

    /** Starts the job on the test's MiniCluster; {@code tap} may add operators to the outcomes. */
    JobClient start(
            ReplicationSettings rs,
            SourceFunction<String> events,
            SinkFunction<String> eventSink,
            Function<DataStream<TaskOutcome>, DataStream<?>> tap)
            throws Exception {
        return start(rs, events, eventSink, tap, JdbcEdgeTaskRunner.factory(rs));
    }

    /** As above with the given runners (tests that inject failures into loads). */
    JobClient start(
            ReplicationSettings rs,
            SourceFunction<String> events,
            SinkFunction<String> eventSink,
            Function<DataStream<TaskOutcome>, DataStream<?>> tap,
            EdgeTaskRunner.Factory runners)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 1000));
        ReplicationPipeline pipeline =
                ReplicationPipeline.builder(
                        rs, new ControlPlaneSource(rs.control(), rs.pollInterval(), null), runners);
        if (events != null) {
            pipeline.events(events);
        }
        if (eventSink != null) {
            pipeline.eventSink(eventSink);
        }
        DataStream<TaskOutcome> outcomes = pipeline.build(env);
        if (tap != null) {
            tap.apply(outcomes).addSink(new DiscardingSink<>()).name("discard").uid("test-discard");
        }
        return env.executeAsync("drms replication test");
    }

    /** Rows of a query as canonical text, sorted: equal lists mean equal tables. */
    static List<String> rows(String url, String user, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof BigDecimal d) {
                        v = d.stripTrailingZeros().toPlainString();
                    } else if (v instanceof Timestamp t) {
                        v = t.toLocalDateTime().toString();
                    } else if (v instanceof java.time.LocalDateTime t) {
                        v = t.toString();
                    } else if (v instanceof Boolean b) {
                        v = b ? "1" : "0";
                    } else if (v instanceof Number n) {
                        v = new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
                    }
                    sb.append(i == 1 ? "" : "|").append(v);
                }
                out.add(sb.toString());
            }
        }
        Collections.sort(out);
        return out;
    }

    /** An order-independent checksum of canonical rows (count and the sum of row digests). */
    static String checksum(List<String> rows) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long sum = 0;
        for (String r : rows) {
            byte[] d = sha.digest(r.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            sum += h;
        }
        return rows.size() + ":" + Long.toHexString(sum);
    }

    static void assertSameRows(List<String> expected, List<String> actual) throws Exception {
        assertThat(checksum(actual)).isEqualTo(checksum(expected));
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /** Waits until the check passes; tables the job has not created yet count as not yet. */
    static org.awaitility.core.ConditionFactory awaitRows(Duration atMost) {
        return org.awaitility.Awaitility.await()
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptions();
    }

    static Duration converge() {
        return Duration.ofSeconds(90);
    }
}
