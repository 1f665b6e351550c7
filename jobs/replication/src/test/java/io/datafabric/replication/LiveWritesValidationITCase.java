package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hot source table — concurrent writers updating the same few hundred rows as fast as they can —
 * must not drive its edge to failed through the validation race (a row loaded, then changed again
 * at the source before the comparison read it). Afterwards the target equals the source.
 */
class LiveWritesValidationITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SRC = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DST = new PostgresDatabase();

    static final int ROWS = 300;
    static final Duration WRITING = Duration.ofSeconds(12);

    @Test
    void hotSourceDoesNotFailTheEdge() throws Exception {
        SRC.execute(
                "CREATE TABLE hot (id bigint PRIMARY KEY, v bigint NOT NULL, updated_at"
                        + " timestamp(6) NOT NULL DEFAULT clock_timestamp())");
        SRC.execute("INSERT INTO hot(id, v) SELECT g, 0 FROM generate_series(1, " + ROWS + ") g");
        ReplicationFixture fx = new ReplicationFixture(CONTROL);
        fx.apply(
                """
                connections:
                  src: {dialect: postgres, url: "%s", user: postgres}
                  dst: {dialect: postgres, url: "%s", user: postgres}
                datasets:
                  hot: {connection: src, table: hot, cursor: [updated_at, id]}
                consumers:
                  hot_copy: {dataset: hot, target: {connection: dst, table: hot}, schedule: 200ms, approved: true}
                """
                        .formatted(SRC.jdbcUrl(), DST.jdbcUrl()));
        ReplicationSettings rs =
                fx.settings(
                        Map.of(
                                "replication.retry.max-attempts", "3",
                                "replication.retry.initial-backoff", "100ms",
                                "replication.retry.max-backoff", "200ms"));
        JobClient job = fx.start(rs, null, null, null);
        try {
            String all = "SELECT id, v, updated_at FROM hot";
            ReplicationFixture.awaitRows(ReplicationFixture.converge())
                    .untilAsserted(
                            () ->
                                    ReplicationFixture.assertSameRows(
                                            ReplicationFixture.rows(SRC.jdbcUrl(), "postgres", all),
                                            ReplicationFixture.rows(
                                                    DST.jdbcUrl(), "postgres", all)));
            long tasksBefore = CONTROL.queryLong("SELECT coalesce(max(id), 0) FROM drms.tasks");

            AtomicLong updates = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int seed = w;
                Thread t = new Thread(() -> write(seed, updates, failure), "hot-writer-" + seed);
                t.start();
                writers.add(t);
            }
            for (Thread t : writers) {
                t.join(WRITING.plusSeconds(30).toMillis());
            }
            assertThat(failure.get()).isNull();
            assertThat(updates.get()).as("updates written").isGreaterThan(1_000);

            ReplicationFixture.awaitRows(ReplicationFixture.converge())
                    .untilAsserted(
                            () ->
                                    ReplicationFixture.assertSameRows(
                                            ReplicationFixture.rows(SRC.jdbcUrl(), "postgres", all),
                                            ReplicationFixture.rows(
                                                    DST.jdbcUrl(), "postgres", all)));
            assertThat(
                            CONTROL.queryLong(
                                    "SELECT count(*) FROM drms.tasks WHERE status = 'failed' AND id > "
                                            + tasksBefore))
                    .as(
                            "tasks failed after every attempt: %s",
                            ReplicationFixture.rows(
                                    CONTROL.jdbcUrl(),
                                    "postgres",
                                    "SELECT status || ' ' || kind || ' ' || coalesce(error, '') FROM"
                                            + " drms.tasks WHERE status IN ('failed', 'retrying')"))
                    .isZero();
            long validated =
                    CONTROL.queryLong(
                            "SELECT count(*) FROM drms.tasks WHERE status = 'succeeded' AND id > "
                                    + tasksBefore
                                    + " AND rows > 0 AND checksum IS NOT NULL");
            assertThat(validated)
                    .as("validated tasks that loaded rows during the writes")
                    .isGreaterThan(5);
        } finally {
            job.cancel().get();
        }
    }

    /** Updates random rows of the hot set, one autocommitted statement each, for a bounded time. */
    static void write(int seed, AtomicLong updates, AtomicReference<Exception> failure) {
        Random random = new Random(seed);
        long deadline = System.nanoTime() + WRITING.toNanos();
        try (Connection c = DriverManager.getConnection(SRC.jdbcUrl(), "postgres", "");
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE hot SET v = v + 1, updated_at = clock_timestamp() WHERE"
                                        + " id = ?")) {
            for (int i = 0; i < 500_000 && System.nanoTime() < deadline; i++) {
                ps.setLong(1, 1 + random.nextInt(ROWS));
                ps.executeUpdate();
                updates.incrementAndGet();
                if (i % 20 == 19) {
                    Thread.sleep(1); // leave the two cores some room for the job
                }
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }
}
