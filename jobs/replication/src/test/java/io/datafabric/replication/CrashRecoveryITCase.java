package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datafabric.drms.task.BatchInfo;
import io.datafabric.drms.task.BatchListener;
import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.exec.EdgeTaskRunner;
import io.datafabric.replication.exec.GraphDatabases;
import io.datafabric.replication.exec.JdbcEdgeTaskRunner;
import io.datafabric.replication.exec.TaskOutcome;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.MariaDbDatabase;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job crashes in the middle of a load — a batch's rows are written but its transaction is not
 * committed — and Flink restarts it from its last checkpoint: the target ends with exactly the
 * source's rows, none twice, none missing.
 */
class CrashRecoveryITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SRC = new PostgresDatabase();
    @RegisterExtension static final MariaDbDatabase DST = new MariaDbDatabase();

    /** Shared with the operators: the MiniCluster runs in this JVM. */
    static final AtomicInteger CRASHES = new AtomicInteger();

    static final AtomicBoolean MID_LOAD = new AtomicBoolean();
    static final AtomicInteger BATCHES = new AtomicInteger();

    /**
     * On the fifth batch, inside its transaction (rows written, not committed), asks for the crash
     * and holds the transaction open until the failing job interrupts this thread.
     */
    static final class HoldBatchOpen implements BatchListener {
        @Override
        public void beforeCommit(BatchInfo batch) {
            if (BATCHES.incrementAndGet() == 5 && CRASHES.compareAndSet(0, 1)) {
                MID_LOAD.set(true);
                try {
                    // Nothing counts this down: the transaction stays open until the failing job
                    // interrupts the thread (or 10 s pass).
                    new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the load was cut off by the crash");
            }
        }
    }

    /** Fails the job (a restart of every task from the checkpoint) when a load asks for it. */
    static final class CrashSource implements SourceFunction<String> {
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<String> ctx) throws Exception {
            try {
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> !running || MID_LOAD.get());
            } catch (ConditionTimeoutException quiet) {
                return;
            }
            if (MID_LOAD.getAndSet(false)) {
                throw new IllegalStateException("injected crash in the middle of a load");
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    @Test
    void crashMidLoadLeavesNoDuplicatesAndNoGaps() throws Exception {
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
        ReplicationSettings rs =
                fx.settings(
                        Map.of("replication.batch-rows", "100", "replication.task-slice", "500ms"));
        EdgeTaskRunner.Factory runners =
                () ->
                        new JdbcEdgeTaskRunner(
                                new GraphDatabases(Map.of(), 4, Duration.ofSeconds(10)),
                                100,
                                Duration.ofSeconds(5),
                                Duration.ofMillis(500),
                                Duration.ofMinutes(1),
                                Duration.ofHours(1),
                                new HoldBatchOpen());
        JobClient job =
                fx.start(
                        rs,
                        null,
                        null,
                        // joined to the outcomes so that its failure restarts the whole job
                        s ->
                                s.map(TaskOutcome::edgeId)
                                        .returns(Types.STRING)
                                        .uid("test-outcome-ids")
                                        .union(
                                                s.getExecutionEnvironment()
                                                        .addSource(
                                                                new CrashSource(),
                                                                "crash",
                                                                Types.STRING)
                                                        .uid("test-crash-source")
                                                        .setParallelism(1)),
                        runners);
        try {
            Thread writing = new Thread(writer, "source-writer");
            writing.start();
            writing.join(Duration.ofSeconds(60).toMillis());
            assertThat(writer.failure).isNull();
            // the crash happened and Flink restarted the job from its last checkpoint
            ReplicationFixture.awaitRows(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                assertThat(CRASHES.get()).isEqualTo(1);
                                assertThat(MID_LOAD.get()).isFalse();
                                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                            });
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
            assertThat(DST.queryLong("SELECT count(*) - count(DISTINCT id) FROM orders")).isZero();
            assertThat(BATCHES.get()).isGreaterThan(5);
        } finally {
            job.cancel().get();
        }
    }
}
