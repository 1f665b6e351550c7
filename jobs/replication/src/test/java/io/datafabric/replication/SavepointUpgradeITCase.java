package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.control.ControlPlaneSource;
import io.datafabric.replication.exec.JdbcEdgeTaskRunner;
import io.datafabric.replication.exec.TaskOutcome;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrade through a savepoint: version 1 of the job runs while the source is written to, stops with
 * a savepoint mid-stream; version 2 — one operator more and another parallelism — starts from that
 * savepoint. The target ends equal to the slice an uninterrupted run converges to (computed from
 * the source), no row twice.
 */
class SavepointUpgradeITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SRC = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DST = new PostgresDatabase();

    @TempDir Path savepoints;

    private static final String SLICE =
            "SELECT id, customer_id, amount, status, updated_at FROM orders WHERE NOT deleted AND"
                    + " amount >= 100 AND status IN ('paid', 'shipped')";

    @Test
    void versionTwoFromVersionOnesSavepointEndsAsAnUninterruptedRun() throws Exception {
        SRC.execute(SourceWriter.DDL);
        SourceWriter writer = new SourceWriter(SRC.jdbcUrl(), 1, 30, 150, 200);
        try (Connection c = SRC.connect()) {
            writer.batch(c);
        }
        ReplicationFixture fx = new ReplicationFixture(CONTROL);
        fx.apply(
                """
                connections:
                  src: {dialect: postgres, url: "%s", user: postgres}
                  dst: {dialect: postgres, url: "%s", user: postgres}
                datasets:
                  orders: {connection: src, table: orders, cursor: [updated_at, id], soft-delete: deleted}
                  big:
                    parent: orders
                    columns: [id, customer_id, amount, status, updated_at]
                    filter: {all: [{column: amount, op: ">=", value: 100}, {column: status, op: in, values: [paid, shipped]}]}
                consumers:
                  big_copy: {dataset: big, target: {connection: dst, table: big_orders}, schedule: 300ms, approved: true}
                """
                        .formatted(SRC.jdbcUrl(), DST.jdbcUrl()));
        ReplicationSettings rs = fx.settings(Map.of());

        JobClient v1 = start(rs, 1, false, null);
        Thread writing = new Thread(writer, "source-writer");
        String savepoint;
        try {
            ReplicationFixture.awaitRows(Duration.ofSeconds(60))
                    .until(() -> DST.queryLong("SELECT count(*) FROM big_orders") > 0);
            long before = SRC.queryLong("SELECT count(*) FROM orders");
            writing.start();
            ReplicationFixture.awaitRows(Duration.ofSeconds(30))
                    .until(() -> SRC.queryLong("SELECT count(*) FROM orders") >= before + 450);
            assertThat(writing.isAlive())
                    .as("the savepoint is taken while the source is written")
                    .isTrue();
            savepoint =
                    v1.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
        } catch (Exception e) {
            v1.cancel().get();
            throw e;
        }

        JobClient v2 = start(rs, 2, true, savepoint);
        try {
            writing.join(Duration.ofSeconds(60).toMillis());
            assertThat(writer.failure).isNull();
            List<String> truth = ReplicationFixture.rows(SRC.jdbcUrl(), "postgres", SLICE);
            ReplicationFixture.awaitRows(ReplicationFixture.converge())
                    .untilAsserted(
                            () ->
                                    ReplicationFixture.assertSameRows(
                                            truth,
                                            ReplicationFixture.rows(
                                                    DST.jdbcUrl(),
                                                    "postgres",
                                                    "SELECT id, customer_id, amount, status,"
                                                            + " updated_at FROM big_orders")));
            assertThat(DST.queryLong("SELECT count(*) - count(DISTINCT id) FROM big_orders"))
                    .isZero();
        } finally {
            v2.cancel().get();
        }
    }

    /** Version 1, or version 2 (an added operator on the outcomes) restored from a savepoint. */
    private static JobClient start(
            ReplicationSettings rs, int parallelism, boolean versionTwo, String savepoint)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.setMaxParallelism(128);
        env.enableCheckpointing(500);
        DataStream<TaskOutcome> outcomes =
                ReplicationPipeline.builder(
                                rs,
                                new ControlPlaneSource(rs.control(), rs.pollInterval(), null),
                                JdbcEdgeTaskRunner.factory(rs))
                        .build(env);
        if (versionTwo) {
            outcomes.map(TaskOutcome::edgeId)
                    .returns(Types.STRING)
                    .name("v2: outcome edges")
                    .uid("test-v2-added")
                    .addSink(new DiscardingSink<>())
                    .uid("test-v2-sink");
        }
        StreamGraph graph = env.getStreamGraph();
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(graph);
    }
}
