package io.datafabric.drms.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphParserTest {

    @Test
    void readsTheDocumentedExample() {
        GraphParser.Result r = GraphParser.parse(GraphFixtures.EXAMPLE);
        assertThat(r.problems()).isEmpty();
        DatasetGraph g = r.graph();
        assertThat(g.connections()).containsOnlyKeys("db1", "mdb");
        ConnectionSpec db1 = g.connections().get("db1");
        assertThat(db1.dialect()).isEqualTo("postgres");
        assertThat(db1.passwordEnv()).isEqualTo("DB1_PASSWORD");
        assertThat(g.connections().get("mdb").passwordEnv()).isEmpty();

        assertThat(g.datasets().get("orders"))
                .isEqualTo(
                        new TableDataset(
                                "orders",
                                "db1",
                                "public.orders",
                                List.of("updated_at", "id"),
                                null));
        SliceDataset slice = (SliceDataset) g.datasets().get("big_orders");
        assertThat(slice.parent()).isEqualTo("orders");
        assertThat(slice.columns())
                .containsExactly("id", "customer_id", "amount", "status", "updated_at");
        Condition.All all = (Condition.All) slice.filter();
        assertThat(all.path()).isEqualTo("datasets.big_orders.filter");
        Condition.Comparison amount = (Condition.Comparison) all.conditions().get(0);
        assertThat(amount.op()).isEqualTo(Operator.GE);
        assertThat(amount.values()).containsExactly(100L);
        Condition.Comparison status = (Condition.Comparison) all.conditions().get(1);
        assertThat(status.path()).isEqualTo("datasets.big_orders.filter.all[1]");
        assertThat(status.op()).isEqualTo(Operator.IN);
        assertThat(status.values()).containsExactly("paid", "shipped");

        Consumer c = g.consumers().get("big_to_mdb");
        assertThat(c.target()).isEqualTo(new ConsumerTarget("mdb", "big_orders"));
        assertThat(c.schedule()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.mode()).isEqualTo(ReplicationMode.INCREMENTAL);
        assertThat(c.status()).isEqualTo(ConsumerStatus.APPROVED);
    }

    @Test
    void readsEveryOperatorAndNesting() {
        String yaml =
                """
                connections: {db: {dialect: postgres, url: "jdbc:postgresql://h/db"}}
                datasets:
                  t: {connection: db, table: t, cursor: [id], soft-delete: deleted}
                  s:
                    parent: t
                    filter:
                      any:
                        - {column: a, op: "=", value: 1}
                        - {column: a, op: "!=", value: 2.5}
                        - {column: a, op: "<", value: 3}
                        - {column: a, op: "<=", value: 3}
                        - {column: a, op: ">", value: 3}
                        - not: {column: b, op: not in, values: [x, y]}
                        - {column: b, op: is null}
                        - {column: b, op: IS NOT NULL}
                        - {column: c, op: between, values: ["2024-01-01", "2024-12-31"]}
                        - {column: b, op: like, value: "ab%"}
                        - all: [{column: d, op: "=", value: true}]
                """;
        GraphParser.Result r = GraphParser.parse(yaml);
        assertThat(r.problems()).isEmpty();
        Condition.Any any = (Condition.Any) ((SliceDataset) r.graph().datasets().get("s")).filter();
        assertThat(any.comparisons())
                .extracting(Condition.Comparison::op)
                .containsExactly(
                        Operator.EQ,
                        Operator.NE,
                        Operator.LT,
                        Operator.LE,
                        Operator.GT,
                        Operator.NOT_IN,
                        Operator.IS_NULL,
                        Operator.IS_NOT_NULL,
                        Operator.BETWEEN,
                        Operator.LIKE,
                        Operator.EQ);
        assertThat(any.comparisons().get(1).values()).containsExactly(new BigDecimal("2.5"));
        assertThat(any.comparisons().get(5).path()).isEqualTo("datasets.s.filter.any[5].not");
        assertThat(any.comparisons().get(10).values()).containsExactly(true);
        assertThat(((TableDataset) r.graph().datasets().get("t")).softDelete())
                .isEqualTo("deleted");
        // pending by default, one minute by default
        assertThat(r.graph().consumers()).isEmpty();
    }

    @Test
    void malformedEntriesAreAllReportedWithTheirPaths() {
        String yaml =
                """
                connections:
                  db1: {dialect: oracle, url: "postgresql://x", password: secret}
                  db2: {dialect: postgres}
                datasets:
                  t: {connection: db1, table: "t; drop table x", cursor: id}
                  s: {parent: t, filter: {all: [{column: a, op: "=~", value: 1}, {column: b, op: in, value: 3}, {column: c, op: between, values: [1]}, {column: d, op: "=", value: null}]}}
                  s2: {parent: t, connection: db1, columns: [a, a]}
                consumers:
                  c1: {dataset: s, target: {connection: db1}, schedule: soon, mode: sometimes, approved: "yes", scheduel: 5s}
                """;
        GraphParser.Result r = GraphParser.parse(yaml);
        assertThat(r.problems())
                .extracting(GraphProblem::path)
                .contains(
                        "connections.db1.dialect",
                        "connections.db1.url",
                        "connections.db1.password",
                        "connections.db2.url",
                        "datasets.t.table",
                        "datasets.t.cursor",
                        "datasets.s.filter.all[0].op",
                        "datasets.s.filter.all[1].value",
                        "datasets.s.filter.all[2].values",
                        "datasets.s.filter.all[3].value",
                        "datasets.s2.connection",
                        "datasets.s2.columns[1]",
                        "consumers.c1.target.table",
                        "consumers.c1.schedule",
                        "consumers.c1.mode",
                        "consumers.c1.approved",
                        "consumers.c1.scheduel");
        assertThat(r.problems())
                .filteredOn(p -> p.path().equals("connections.db1.password"))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("password-env"));
    }

    @Test
    void invalidYamlIsOneProblemNotACrash() {
        GraphParser.Result r = GraphParser.parse("connections: [unclosed");
        assertThat(r.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not valid YAML"));
        assertThat(GraphParser.parse("").problems()).isNotEmpty();
        assertThat(GraphParser.parse("a: 1\na: 2").problems()).isNotEmpty();
    }

    @Test
    void writerRoundTripsTheGraph() {
        DatasetGraph g = GraphParser.parse(GraphFixtures.EXAMPLE).graph();
        String json = GraphWriter.json(GraphWriter.toTree(g));
        GraphParser.Result again = GraphParser.parse(json);
        assertThat(again.problems()).isEmpty();
        assertThat(again.graph().datasets()).isEqualTo(g.datasets());
        assertThat(again.graph().consumers()).isEqualTo(g.consumers());
        assertThat(again.graph().connections()).isEqualTo(g.connections());
    }

    @Test
    void durations() {
        assertThat(GraphParser.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GraphParser.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(GraphParser.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(GraphParser.parseDuration("soon")).isNull();
        assertThat(GraphWriter.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(GraphWriter.duration(Duration.ofMinutes(90))).isEqualTo("90m");
    }
}
