package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Configuration changes reach a running job without a restart: a changed filter re-snapshots the
 * edge, a paused edge stops, a new approved consumer starts with a snapshot; hard deletes at the
 * source reach the target through the periodic primary-key diff.
 */
class RuntimeChangeITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SRC = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DST = new PostgresDatabase();

    static String graph(int minAmount, String status, boolean second) {
        String g =
                """
                connections:
                  src: {dialect: postgres, url: "%s", user: postgres}
                  dst: {dialect: postgres, url: "%s", user: postgres}
                datasets:
                  orders: {connection: src, table: orders, cursor: [updated_at, id], soft-delete: deleted}
                  big: {parent: orders, columns: [id, amount, status, updated_at], filter: {column: amount, op: ">=", value: %d}}
                consumers:
                  big_copy: {dataset: big, target: {connection: dst, table: big}, schedule: 500ms, status: %s}
                """
                        .formatted(SRC.jdbcUrl(), DST.jdbcUrl(), minAmount, status);
        if (second) {
            g +=
                    "  all_copy: {dataset: orders, target: {connection: dst, table: all_orders},"
                            + " schedule: 500ms, approved: true}\n";
        }
        return g;
    }

    static void awaitTarget(String sourceWhere) {
        ReplicationFixture.awaitRows(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                ReplicationFixture.assertSameRows(
                                        ReplicationFixture.rows(
                                                SRC.jdbcUrl(),
                                                "postgres",
                                                "SELECT id, amount, status, updated_at FROM orders WHERE "
                                                        + sourceWhere),
                                        ReplicationFixture.rows(
                                                DST.jdbcUrl(),
                                                "postgres",
                                                "SELECT id, amount, status, updated_at FROM big")));
    }

    @Test
    void rulesPausesAndNewConsumersApplyWithoutRestart() throws Exception {
        SRC.execute(SourceWriter.DDL);
        SourceWriter writer = new SourceWriter(SRC.jdbcUrl(), 1, 0, 300, 0);
        try (Connection c = SRC.connect()) {
            writer.batch(c);
        }
        ReplicationFixture fx = new ReplicationFixture(CONTROL);
        fx.apply(graph(100, "approved", false));
        JobClient job =
                fx.start(
                        fx.settings(Map.of("replication.delete-diff-interval", "1s")),
                        null,
                        null,
                        null);
        try {
            awaitTarget("amount >= 100 AND NOT deleted");

            fx.apply(graph(300, "approved", false));
            awaitTarget("amount >= 300 AND NOT deleted");
            assertThat(
                            CONTROL.queryLong(
                                    "SELECT count(*) FROM drms.tasks WHERE edge_id = 'big_copy' AND"
                                            + " kind = 'snapshot' AND status = 'succeeded'"))
                    .isGreaterThanOrEqualTo(2L);

            fx.apply(graph(300, "paused", false));
            long pausedAt = waitForStatusToSettle();
            try (Connection c = SRC.connect()) {
                writer.batch(c);
            }
            // Several poll and schedule periods pass without a task of the paused edge.
            await().pollDelay(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    CONTROL.queryLong(
                                                            "SELECT count(*) FROM drms.tasks WHERE"
                                                                    + " edge_id = 'big_copy' AND id > "
                                                                    + pausedAt))
                                            .isZero());

            fx.apply(graph(300, "approved", true));
            awaitTarget("amount >= 300 AND NOT deleted");
            ReplicationFixture.awaitRows(Duration.ofSeconds(60))
                    .untilAsserted(
                            () ->
                                    assertThat(DST.queryLong("SELECT count(*) FROM all_orders"))
                                            .isEqualTo(
                                                    SRC.queryLong(
                                                            "SELECT count(*) FROM orders WHERE NOT deleted")));
            // hard deletes at a source without soft-delete marks reach the target by the diff
            SRC.execute("DELETE FROM orders WHERE id % 7 = 0");
            awaitTarget("amount >= 300 AND NOT deleted");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    /** The id of the last task row once no task has been running for a moment. */
    private static long waitForStatusToSettle() {
        long[] last = {-1};
        ReplicationFixture.awaitRows(Duration.ofSeconds(30))
                .until(
                        () -> {
                            long now =
                                    CONTROL.queryLong(
                                            "SELECT coalesce(max(id), 0) FROM drms.tasks WHERE edge_id = 'big_copy'");
                            boolean settled =
                                    now == last[0]
                                            && CONTROL.queryLong(
                                                            "SELECT count(*) FROM drms.tasks WHERE status = 'running'")
                                                    == 0;
                            last[0] = now;
                            return settled;
                        });
        return last[0];
    }
}
