package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.MariaDbDatabase;
import io.datafabric.testing.PostgresDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code replicate --bounded}: PostgreSQL → MariaDB, MariaDB → PostgreSQL and PostgreSQL →
 * PostgreSQL edges run until source and target agree — hard deletes, soft deletes and rows leaving
 * the slice included — and the command exits 0.
 */
class BoundedReplicationITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final MariaDbDatabase MDB = new MariaDbDatabase();
    @RegisterExtension static final PostgresDatabase PG2 = new PostgresDatabase();

    static String graph() {
        return """
                connections:
                  pg: {dialect: postgres, url: "%s", user: postgres}
                  mdb: {dialect: mariadb, url: "%s", user: root}
                  pg2: {dialect: postgres, url: "%s", user: postgres}
                datasets:
                  orders: {connection: pg, table: orders, cursor: [updated_at, id], soft-delete: deleted}
                  open_orders:
                    parent: orders
                    columns: [id, customer_id, amount, status, updated_at]
                    filter: {not: {column: status, op: in, values: [cancelled]}}
                  customers: {connection: mdb, table: customers, cursor: [changed_at, id]}
                consumers:
                  orders_to_mdb: {dataset: open_orders, target: {connection: mdb, table: open_orders}, schedule: 1h, approved: true}
                  customers_to_pg: {dataset: customers, target: {connection: pg, table: customers_copy}, schedule: 1h, approved: true}
                  orders_to_pg2: {dataset: open_orders, target: {connection: pg2, table: open_orders}, schedule: 1h, approved: true}
                  not_approved: {dataset: orders, target: {connection: mdb, table: never}, schedule: 1s}
                """
                .formatted(PG.jdbcUrl(), MDB.jdbcUrl(), PG2.jdbcUrl());
    }

    static int replicate() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ReplicateCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code =
                cli.execute(
                        "--bounded",
                        "--control-jdbc-url",
                        CONTROL.jdbcUrl(),
                        "--control-user",
                        CONTROL.user(),
                        "--set",
                        "replication.poll-interval=200ms",
                        "--set",
                        "replication.batch-rows=300",
                        "--set",
                        "flink.execution.checkpointing.interval=1s");
        assertThat(code).as(out.toString()).isZero();
        return code;
    }

    static void assertConverged() throws Exception {
        List<String> open =
                ReplicationFixture.rows(
                        PG.jdbcUrl(),
                        "postgres",
                        "SELECT id, customer_id, amount, status, updated_at FROM orders WHERE"
                                + " status <> 'cancelled' AND NOT deleted");
        ReplicationFixture.assertSameRows(
                open,
                ReplicationFixture.rows(
                        MDB.jdbcUrl(),
                        "root",
                        "SELECT id, customer_id, amount, status, updated_at FROM open_orders"));
        ReplicationFixture.assertSameRows(
                open,
                ReplicationFixture.rows(
                        PG2.jdbcUrl(),
                        "postgres",
                        "SELECT id, customer_id, amount, status, updated_at FROM open_orders"));
        ReplicationFixture.assertSameRows(
                ReplicationFixture.rows(
                        MDB.jdbcUrl(), "root", "SELECT id, name, score, changed_at FROM customers"),
                ReplicationFixture.rows(
                        PG.jdbcUrl(),
                        "postgres",
                        "SELECT id, name, score, changed_at FROM customers_copy"));
    }

    @Test
    void bothDirectionsConvergeWithDeletes() throws Exception {
        PG.execute(SourceWriter.DDL);
        SourceWriter writer = new SourceWriter(PG.jdbcUrl(), 1, 0, 700, 0);
        try (var c = PG.connect()) {
            writer.batch(c);
            writer.batch(c);
        }
        MDB.execute(
                "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, score"
                        + " DECIMAL(8,3), changed_at DATETIME(6) NOT NULL)");
        MDB.execute(
                "INSERT INTO customers SELECT seq, CONCAT('customer ', seq), seq / 7,"
                        + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND FROM seq_1_to_900");
        MDB.execute("UPDATE customers SET score = NULL WHERE id % 10 = 0");
        // An existing PostgreSQL target whose amount prints differently (1.5000, not 1.50): the
        // in-database digests differ, and the portable comparison confirms the rows are equal.
        PG2.execute(
                "CREATE TABLE open_orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                        + " amount numeric(14,4) NOT NULL, status text NOT NULL, updated_at"
                        + " timestamp(6) NOT NULL)");
        new ReplicationFixture(CONTROL).apply(graph());

        replicate();
        assertConverged();
        assertThat(MDB.queryLong("SELECT count(*) FROM open_orders")).isGreaterThan(500L);
        assertThat(
                        MDB.queryLong(
                                "SELECT count(*) FROM information_schema.tables WHERE table_schema"
                                        + " = database() AND table_name = 'never'"))
                .isZero();

        // hard deletes, soft deletes, rows leaving and entering the slice, on both sides
        PG.execute("DELETE FROM orders WHERE id % 17 = 0");
        PG.execute(
                "UPDATE orders SET deleted = true, updated_at = clock_timestamp() WHERE id % 13 = 0");
        PG.execute(
                "UPDATE orders SET status = 'cancelled', updated_at = clock_timestamp() WHERE id % 11 = 0");
        PG.execute(
                "UPDATE orders SET status = 'paid', updated_at = clock_timestamp() WHERE id % 19 = 0 AND status = 'cancelled'");
        MDB.execute("DELETE FROM customers WHERE id % 9 = 0");
        MDB.execute("UPDATE customers SET name = 'renamed', changed_at = NOW(6) WHERE id % 5 = 0");
        replicate();
        assertConverged();
        assertThat(
                        CONTROL.queryLong(
                                "SELECT count(*) FROM drms.tasks WHERE kind = 'converge' AND"
                                        + " converged"))
                .isEqualTo(6L);
    }
}
