package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.replication.exec.TaskOutcome;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.MariaDbDatabase;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job crashes while loads are under way (an operator throws right after a load committed,
 * before the next checkpoint; the executor's other loads are cut off mid-batch) and Flink restarts
 * it from the last checkpoint: the target ends with exactly the source's rows, none twice, none
 * missing.
 */
class CrashRecoveryITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SRC = new PostgresDatabase();
    @RegisterExtension static final MariaDbDatabase DST = new MariaDbDatabase();

    /** Crashes counted across restarts (the MiniCluster runs in this JVM). */
    static final AtomicInteger CRASHES = new AtomicInteger();

    /** Throws once, on the second load that wrote rows. */
    static final class CrashOnce implements MapFunction<TaskOutcome, TaskOutcome> {
        private static final AtomicInteger LOADS = new AtomicInteger();

        @Override
        public TaskOutcome map(TaskOutcome o) {
            if (o.loadedRows() && LOADS.incrementAndGet() == 2 && CRASHES.compareAndSet(0, 1)) {
                throw new IllegalStateException("injected crash after a committed load");
            }
            return o;
        }
    }

    @Test
    void restartLeavesNoDuplicatesAndNoGaps() throws Exception {
        SRC.execute(SourceWriter.DDL);
        SourceWriter writer = new SourceWriter(SRC.jdbcUrl(), 1, 12, 400, 100);
        try (Connection c = SRC.connect()) {
            writer.batch(c);
        }
        ReplicationFixture fx = new ReplicationFixture(CONTROL);
        fx.apply(
                """
                connections:
                  src: {dialect: postgres, url: "%s", user: postgres}
                  dst: {dialect: mariadb, url: "%s", user: root}
                datasets:
                  orders: {connection: src, table: orders, cursor: [updated_at, id]}
                consumers:
                  copy: {dataset: orders, target: {connection: dst, table: orders}, schedule: 300ms, approved: true}
                """
                        .formatted(SRC.jdbcUrl(), DST.jdbcUrl()));
        JobClient job =
                fx.start(
                        fx.settings(
                                Map.of(
                                        "replication.batch-rows",
                                        "200",
                                        "replication.task-slice",
                                        "500ms")),
                        null,
                        null,
                        s -> s.map(new CrashOnce()).name("crash once").uid("test-crash-once"));
        try {
            Thread writing = new Thread(writer, "source-writer");
            writing.start();
            writing.join(Duration.ofSeconds(60).toMillis());
            assertThat(writer.failure).isNull();
            List<String> expected =
                    ReplicationFixture.rows(
                            SRC.jdbcUrl(),
                            "postgres",
                            "SELECT id, customer_id, amount, status, deleted, updated_at FROM orders");
            ReplicationFixture.awaitRows(ReplicationFixture.converge())
                    .untilAsserted(
                            () ->
                                    ReplicationFixture.assertSameRows(
                                            expected,
                                            ReplicationFixture.rows(
                                                    DST.jdbcUrl(),
                                                    "root",
                                                    "SELECT id, customer_id, amount, status, deleted, updated_at FROM orders")));
            assertThat(CRASHES.get()).isEqualTo(1);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(DST.queryLong("SELECT count(*) - count(DISTINCT id) FROM orders")).isZero();
        } finally {
            job.cancel().get();
        }
    }
}
