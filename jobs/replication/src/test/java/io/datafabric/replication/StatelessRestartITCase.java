package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.drms.task.BatchInfo;
import io.datafabric.drms.task.BatchListener;
import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.exec.EdgeTaskRunner;
import io.datafabric.replication.exec.GraphDatabases;
import io.datafabric.replication.exec.JdbcEdgeTaskRunner;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job loses its state (a new deployment, a lost checkpoint) and starts fresh, without a
 * savepoint: edges resume from the cursor in the target instead of snapshotting again, and the
 * schedule of the primary-key diff survives, so hard deletes still reach the targets when the job
 * restarts more often than the diff interval.
 */
class StatelessRestartITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SRC = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DST = new PostgresDatabase();

    /** Snapshot batches committed by the runners (the MiniCluster runs in this JVM). */
    static final AtomicInteger SNAPSHOT_BATCHES = new AtomicInteger();

    static final class CountSnapshots implements BatchListener {
        @Override
        public void afterCommit(BatchInfo batch) {
            if (batch.kind() == BatchInfo.Kind.SNAPSHOT) {
                SNAPSHOT_BATCHES.incrementAndGet();
            }
        }
    }

    static EdgeTaskRunner.Factory countingRunners(Duration deleteDiffInterval) {
        return () ->
                new JdbcEdgeTaskRunner(
                        new GraphDatabases(Map.of(), 4, Duration.ofSeconds(10)),
                        500,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(2),
                        Duration.ofMinutes(1),
                        deleteDiffInterval,
                        new CountSnapshots());
    }

    private static final String SLICE =
            "SELECT id, customer_id, amount, status, updated_at FROM orders WHERE NOT deleted AND"
                    + " amount >= 100 AND status IN ('paid', 'shipped')";

    @Test
    void freshStartResumesFromTheStoredCursorWithoutSnapshot() throws Exception {
        SRC.execute(SourceWriter.DDL);
        SourceWriter writer = new SourceWriter(SRC.jdbcUrl(), 1, 1, 1500, 0);
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

        // first deployment: snapshots, then follows changes; stopped without a savepoint
        JobClient first = fx.start(rs, null, null, null, countingRunners(Duration.ofHours(1)));
        try {
            awaitTargetEqualsSlice();
        } finally {
            stop(first);
        }
        assertThat(SNAPSHOT_BATCHES.get()).as("the first run snapshotted").isPositive();
        assertThat(succeeded("big_copy", "snapshot", 0)).isPositive();

        // changes while no job runs: inserts, updates in and out of the slice, soft deletes
        try (Connection c = SRC.connect()) {
            writer.batch(c);
        }
        long lastTaskBefore = CONTROL.queryLong("SELECT coalesce(max(id), 0) FROM drms.tasks");
        SNAPSHOT_BATCHES.set(0);

        // a new deployment without state
        JobClient second = fx.start(rs, null, null, null, countingRunners(Duration.ofHours(1)));
        try {
            awaitTargetEqualsSlice();
            ReplicationFixture.awaitRows(Duration.ofSeconds(30))
                    .until(() -> succeeded("big_copy", null, lastTaskBefore) >= 2);
        } finally {
            stop(second);
        }
        assertThat(SNAPSHOT_BATCHES.get()).as("snapshot batches after the fresh start").isZero();
        assertThat(succeeded("big_copy", "snapshot", lastTaskBefore))
                .as("snapshot tasks after the fresh start")
                .isZero();
        assertThat(DST.queryLong("SELECT count(*) - count(DISTINCT id) FROM big_orders")).isZero();
    }

    @Test
    void hardDeletesPropagateAcrossRestartsShorterThanTheDiffInterval() throws Exception {
        SRC.execute(
                "CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL, updated_at"
                        + " timestamp(6) NOT NULL DEFAULT clock_timestamp())");
        SRC.execute("INSERT INTO items(id, v) SELECT g, g % 7 FROM generate_series(1, 600) g");
        ReplicationFixture fx = new ReplicationFixture(CONTROL);
        fx.apply(
                """
                connections:
                  src: {dialect: postgres, url: "%s", user: postgres}
                  dst: {dialect: postgres, url: "%s", user: postgres}
                datasets:
                  items: {connection: src, table: items, cursor: [updated_at, id]}
                consumers:
                  items_copy: {dataset: items, target: {connection: dst, table: items}, schedule: 300ms, approved: true}
                """
                        .formatted(SRC.jdbcUrl(), DST.jdbcUrl()));
        Duration interval = Duration.ofSeconds(6);
        ReplicationSettings rs = fx.settings(Map.of());
        JobClient initial = fx.start(rs, null, null, null, countingRunners(interval));
        try {
            awaitSame("SELECT id, v FROM items");
        } finally {
            stop(initial);
        }

        // hard deletes (no soft-delete column): only the primary-key diff finds them
        SRC.execute("DELETE FROM items WHERE id % 10 = 3");
        List<String> truth =
                ReplicationFixture.rows(SRC.jdbcUrl(), "postgres", "SELECT id, v FROM items");
        assertThat(truth).hasSize(540);

        int restarts = 0;
        while (restarts < 12 && !same(truth)) {
            restarts++;
            long lastTask = CONTROL.queryLong("SELECT coalesce(max(id), 0) FROM drms.tasks");
            long started = System.nanoTime();
            JobClient job = fx.start(rs, null, null, null, countingRunners(interval));
            try {
                ReplicationFixture.awaitRows(Duration.ofSeconds(20))
                        .until(() -> succeeded("items_copy", null, lastTask) >= 1);
            } finally {
                stop(job);
            }
            Duration ran = Duration.ofNanos(System.nanoTime() - started);
            assertThat(ran)
                    .as("each deployment must live shorter than the diff interval")
                    .isLessThan(interval);
        }
        assertThat(restarts).as("deployments it took").isGreaterThan(1);
        ReplicationFixture.assertSameRows(
                truth,
                ReplicationFixture.rows(DST.jdbcUrl(), "postgres", "SELECT id, v FROM items"));
    }

    private static boolean same(List<String> truth) throws Exception {
        return truth.equals(
                ReplicationFixture.rows(DST.jdbcUrl(), "postgres", "SELECT id, v FROM items"));
    }

    private static void awaitTargetEqualsSlice() {
        awaitSame(SLICE, "SELECT id, customer_id, amount, status, updated_at FROM big_orders");
    }

    private static void awaitSame(String sql) {
        awaitSame(sql, sql);
    }

    private static void awaitSame(String sourceSql, String targetSql) {
        ReplicationFixture.awaitRows(ReplicationFixture.converge())
                .untilAsserted(
                        () ->
                                ReplicationFixture.assertSameRows(
                                        ReplicationFixture.rows(
                                                SRC.jdbcUrl(), "postgres", sourceSql),
                                        ReplicationFixture.rows(
                                                DST.jdbcUrl(), "postgres", targetSql)));
    }

    /** Succeeded tasks of an edge after task id {@code after}, of one kind (null: any). */
    private static long succeeded(String edge, String kind, long after) throws Exception {
        return CONTROL.queryLong(
                "SELECT count(*) FROM drms.tasks WHERE status = 'succeeded' AND edge_id = '"
                        + edge
                        + "' AND id > "
                        + after
                        + (kind == null ? "" : " AND kind = '" + kind + "'"));
    }

    private static void stop(JobClient job) throws Exception {
        job.cancel().get();
        ReplicationFixture.awaitRows(Duration.ofSeconds(30))
                .until(() -> job.getJobStatus().get().isGloballyTerminalState());
    }
}
