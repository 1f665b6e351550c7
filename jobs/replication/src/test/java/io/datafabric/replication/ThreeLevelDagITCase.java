package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.MariaDbDatabase;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * db1 (PostgreSQL) → db2 (PostgreSQL, a slice: filter + projection) → db3 (MariaDB, a slice of the
 * copy) while a writer inserts, updates (moving rows in and out of the slices) and soft-deletes at
 * the source; both targets converge to exactly the rows their slices define.
 */
class ThreeLevelDagITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DB1 = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase DB2 = new PostgresDatabase();
    @RegisterExtension static final MariaDbDatabase DB3 = new MariaDbDatabase();

    static final String EXPECTED_DB2 =
            "SELECT id, customer_id, amount, status, updated_at FROM orders WHERE amount >= 100"
                    + " AND status IN ('paid', 'shipped') AND NOT deleted";
    static final String EXPECTED_DB3 =
            "SELECT id, amount, updated_at FROM orders WHERE amount >= 100 AND status = 'paid'"
                    + " AND NOT deleted";

    static String graph() {
        return """
                connections:
                  db1: {dialect: postgres, url: "%s", user: postgres}
                  db2: {dialect: postgres, url: "%s", user: postgres}
                  db3: {dialect: mariadb, url: "%s", user: root}
                datasets:
                  orders: {connection: db1, table: public.orders, cursor: [updated_at, id], soft-delete: deleted}
                  big:
                    parent: orders
                    columns: [id, customer_id, amount, status, updated_at]
                    filter: {all: [{column: amount, op: ">=", value: 100}, {column: status, op: in, values: [paid, shipped]}]}
                  big2: {connection: db2, table: big_orders, cursor: [updated_at, id]}
                  paid2:
                    parent: big2
                    columns: [id, amount, updated_at]
                    filter: {column: status, op: "=", value: paid}
                consumers:
                  big_to_db2: {dataset: big, target: {connection: db2, table: big_orders}, schedule: 1s, approved: true}
                  paid_to_db3: {dataset: paid2, target: {connection: db3, table: paid_orders}, schedule: 1s, approved: true}
                """
                .formatted(DB1.jdbcUrl(), DB2.jdbcUrl(), DB3.jdbcUrl());
    }

    @Test
    void convergesToExactlyTheSlicesUnderContinuousWrites() throws Exception {
        DB1.execute(SourceWriter.DDL);
        SourceWriter writer = new SourceWriter(DB1.jdbcUrl(), 1, 25, 60, 150);
        try (Connection c = DB1.connect()) {
            writer.batch(c); // rows present before the first snapshot
        }
        ReplicationFixture fx = new ReplicationFixture(CONTROL);
        fx.apply(graph());
        JobClient job = fx.start(fx.settings(Map.of()), null, null, null);
        try {
            Thread writing = new Thread(writer, "source-writer");
            writing.start();
            writing.join(Duration.ofSeconds(60).toMillis());
            assertThat(writing.isAlive()).isFalse();
            assertThat(writer.failure).isNull();

            List<String> expected2 =
                    ReplicationFixture.rows(DB1.jdbcUrl(), "postgres", EXPECTED_DB2);
            List<String> expected3 =
                    ReplicationFixture.rows(DB1.jdbcUrl(), "postgres", EXPECTED_DB3);
            assertThat(expected2).hasSizeGreaterThan(100);
            assertThat(expected3).hasSizeGreaterThan(50).hasSizeLessThan(expected2.size());
            ReplicationFixture.awaitRows(ReplicationFixture.converge())
                    .untilAsserted(
                            () -> {
                                ReplicationFixture.assertSameRows(
                                        expected2,
                                        ReplicationFixture.rows(
                                                DB2.jdbcUrl(),
                                                "postgres",
                                                "SELECT id, customer_id, amount, status, updated_at FROM big_orders"));
                                ReplicationFixture.assertSameRows(
                                        expected3,
                                        ReplicationFixture.rows(
                                                DB3.jdbcUrl(),
                                                "root",
                                                "SELECT id, amount, updated_at FROM paid_orders"));
                            });
            assertThat(
                            CONTROL.queryLong(
                                    "SELECT count(DISTINCT edge_id) FROM drms.tasks WHERE status ="
                                            + " 'succeeded' AND rows > 0 AND checksum IS NOT NULL"))
                    .isEqualTo(2L);
        } finally {
            job.cancel().get();
        }
    }
}
