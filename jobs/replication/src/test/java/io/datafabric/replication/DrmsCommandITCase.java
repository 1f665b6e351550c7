package io.datafabric.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.MariaDbDatabase;
import io.datafabric.testing.PostgresDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code drms validate/apply/history/rollback} against a real control plane and databases. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrmsCommandITCase {
    @RegisterExtension static final PostgresDatabase CONTROL = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase SOURCE = new PostgresDatabase();
    @RegisterExtension static final MariaDbDatabase TARGET = new MariaDbDatabase();

    @TempDir static Path dir;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void tables() throws Exception {
        SOURCE.execute(
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, amount"
                        + " numeric(12,2) NOT NULL, status text NOT NULL, updated_at timestamp NOT"
                        + " NULL)");
    }

    static String graph(String schedule) {
        return """
                connections:
                  db1: {dialect: postgres, url: "%s", user: postgres}
                  mdb: {dialect: mariadb, url: "%s", user: root}
                datasets:
                  orders: {connection: db1, table: public.orders, cursor: [updated_at, id]}
                  big_orders:
                    parent: orders
                    columns: [id, customer_id, amount, status, updated_at]
                    filter: {all: [{column: amount, op: ">=", value: 100}, {column: status, op: in, values: [paid, shipped]}]}
                  big_orders_m: {connection: mdb, table: big_orders, cursor: [updated_at, id]}
                consumers:
                  big_to_mdb: {dataset: big_orders, target: {connection: mdb, table: big_orders}, schedule: %s, mode: incremental, approved: true}
                """
                .formatted(SOURCE.jdbcUrl(), TARGET.jdbcUrl(), schedule);
    }

    static Run drms(String... args) {
        if (args[0].equals("validate")) {
            return cli(args);
        }
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--control-jdbc-url";
        all[args.length + 1] = CONTROL.jdbcUrl();
        all[args.length + 2] = "--control-user";
        all[args.length + 3] = CONTROL.user();
        return cli(all);
    }

    static Run cli(String... all) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DrmsCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    static Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    @Order(1)
    void invalidFileChangesNothingAndListsEveryProblem() throws Exception {
        String bad =
                graph("5s")
                                .replace("user: postgres}", "user: postgres, password: hunter2}")
                                .replace("{column: status, op: in", "{column: state, op: in")
                                .replace("value: 100}", "value: lots}")
                        + "  again: {dataset: big_orders, target: {connection: mdb, table: big_orders}}\n"
                        + "  lost: {dataset: nowhere, target: {connection: nodb, table: x}}\n";
        Run r = drms("apply", file("bad.yaml", bad).toString(), "--user", "alice");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("connections.db1.password: inline passwords are not allowed")
                .contains("datasets.big_orders.filter.all[1].column: unknown column state")
                .contains("datasets.big_orders.filter.all[0].value: incompatible type")
                .contains("consumers.again.target: consumers big_to_mdb and again both write")
                .contains("consumers.lost.dataset: unknown dataset nowhere")
                .contains("consumers.lost.target.connection: unknown connection nodb")
                .contains("nothing was applied");
        // not even the schema was created
        assertThat(CONTROL.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'drms'"))
                .isZero();

        Run v = drms("validate", dir.resolve("bad.yaml").toString());
        assertThat(v.code()).isEqualTo(2);
        assertThat(v.err()).contains("datasets.big_orders.filter.all[1].column");
    }

    @Test
    @Order(2)
    void applyHistoryAndRollback() throws Exception {
        Run v1 = drms("apply", file("v1.yaml", graph("5s")).toString(), "--user", "alice");
        assertThat(v1.code()).as(v1.err()).isZero();
        assertThat(v1.out())
                .contains("applied version 1 by alice")
                .contains("+ consumers.big_to_mdb");
        assertThat(
                        CONTROL.queryLong(
                                "SELECT schedule_ms FROM drms.consumers WHERE name = 'big_to_mdb' AND status = 'approved'"))
                .isEqualTo(5000L);

        Run v2 = drms("apply", file("v2.yaml", graph("10s")).toString(), "--user", "bob");
        assertThat(v2.code()).as(v2.err()).isZero();
        assertThat(v2.out())
                .contains("applied version 2")
                .contains("~ consumers.big_to_mdb: schedule 5s -> 10s");
        assertThat(
                        CONTROL.queryLong(
                                "SELECT schedule_ms FROM drms.consumers WHERE name = 'big_to_mdb'"))
                .isEqualTo(10_000L);

        Run bad = drms("apply", file("bad2.yaml", graph("soon")).toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(CONTROL.queryLong("SELECT max(version) FROM drms.graph_versions")).isEqualTo(2L);

        Run rb = drms("rollback", "1", "--user", "carol");
        assertThat(rb.code()).as(rb.err()).isZero();
        assertThat(rb.out()).contains("applied version 3 (rollback to version 1) by carol");
        assertThat(
                        CONTROL.queryLong(
                                "SELECT schedule_ms FROM drms.consumers WHERE name = 'big_to_mdb'"))
                .isEqualTo(5000L);
        assertThat(
                        CONTROL.queryLong(
                                "SELECT rollback_of FROM drms.graph_versions WHERE version = 3"))
                .isEqualTo(1L);

        Run h = drms("history");
        assertThat(h.code()).isZero();
        assertThat(h.out())
                .containsSubsequence(
                        "version 3",
                        "carol",
                        "(rollback to 1)",
                        "schedule 10s -> 5s",
                        "version 2",
                        "bob",
                        "schedule 5s -> 10s",
                        "version 1",
                        "alice",
                        "+ connections.db1");
        assertThat(drms("rollback", "99").code()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void removingAConsumerDeletesItsRow() throws Exception {
        String without = graph("5s");
        // the copy in mdb goes too: without its consumer nothing creates that table
        without = without.substring(0, without.indexOf("  big_orders_m:")) + "consumers: {}\n";
        Run r = drms("apply", file("v4.yaml", without).toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("- consumers.big_to_mdb");
        assertThat(CONTROL.queryLong("SELECT count(*) FROM drms.consumers")).isZero();
        assertThat(CONTROL.queryLong("SELECT count(*) FROM drms.datasets")).isEqualTo(2L);
    }
}
