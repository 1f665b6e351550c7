package io.datafabric.drms.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GraphValidatorTest {
    private static final String CONNECTIONS =
            """
            connections:
              db1: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1:5432/db1"}
              db2: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1:5432/db2"}
              mdb: {dialect: mariadb, url: "jdbc:mariadb://127.0.0.1:3306/mdb"}
            """;

    private static List<GraphProblem> problems(String yaml) {
        return GraphValidator.validate(yaml, GraphFixtures.exampleTables());
    }

    private static GraphProblem only(List<GraphProblem> problems) {
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void theDocumentedExampleIsValid() {
        assertThat(problems(GraphFixtures.EXAMPLE)).isEmpty();
    }

    @Test
    void unknownFilterColumnIsReportedAtItsPath() {
        GraphProblem p =
                only(
                        problems(
                                CONNECTIONS
                                        + """
                                        datasets:
                                          orders: {connection: db1, table: public.orders, cursor: [updated_at, id]}
                                          big_orders:
                                            parent: orders
                                            filter: {all: [{column: amount, op: ">=", value: 100}, {column: colour, op: "=", value: red}]}
                                        """));
        assertThat(p.path()).isEqualTo("datasets.big_orders.filter.all[1].column");
        assertThat(p.message()).contains("unknown column colour").contains("amount");
    }

    @Test
    void unknownProjectedAndCursorColumnsAndMissingKey() {
        List<GraphProblem> ps =
                problems(
                        CONNECTIONS
                                + """
                                datasets:
                                  orders: {connection: db1, table: public.orders, cursor: [changed_at, id], soft-delete: removed}
                                  slim: {parent: orders, columns: [customer_id, weight]}
                                """);
        assertThat(ps)
                .extracting(GraphProblem::path)
                .containsExactly(
                        "datasets.orders.cursor[0]",
                        "datasets.orders.soft-delete",
                        "datasets.slim.columns",
                        "datasets.slim.columns[1]");
        assertThat(ps.get(2).message()).contains("primary key column(s) id");
    }

    @Test
    void incompatibleFilterValueTypes() {
        List<GraphProblem> ps =
                problems(
                        CONNECTIONS
                                + """
                                datasets:
                                  orders: {connection: db1, table: public.orders, cursor: [updated_at, id]}
                                  s:
                                    parent: orders
                                    filter:
                                      all:
                                        - {column: amount, op: ">=", value: lots}
                                        - {column: id, op: in, values: [1, 2.5]}
                                        - {column: created_at, op: between, values: ["2024-01-01", "yesterday"]}
                                        - {column: deleted, op: "=", value: maybe}
                                        - {column: amount, op: like, value: "1%"}
                                        - {column: created_at, op: ">", value: "2024-01-01 10:00:00"}
                                        - {column: status, op: "=", value: 7}
                                """);
        assertThat(ps)
                .extracting(GraphProblem::path)
                .containsExactly(
                        "datasets.s.filter.all[0].value",
                        "datasets.s.filter.all[1].values[1]",
                        "datasets.s.filter.all[2].values[1]",
                        "datasets.s.filter.all[3].value",
                        "datasets.s.filter.all[4].op");
        assertThat(ps).allSatisfy(p -> assertThat(p.message()).contains("incompatible type"));
    }

    @Test
    void incompatibleExistingTargetColumn() {
        MapSchemaLookup tables =
                GraphFixtures.exampleTables()
                        .table(
                                "mdb",
                                "big_orders",
                                List.of("id"),
                                "id:integer",
                                "customer_id:integer",
                                "amount:text",
                                "status:text",
                                "updated_at:timestamp");
        List<GraphProblem> ps = GraphValidator.validate(GraphFixtures.EXAMPLE, tables);
        GraphProblem p = only(ps);
        assertThat(p.path()).isEqualTo("consumers.big_to_mdb.target.table");
        assertThat(p.message()).contains("incompatible type").contains("amount");
    }

    @Test
    void twoConsumersWritingOneTable() {
        GraphProblem p =
                only(
                        problems(
                                CONNECTIONS
                                        + """
                                        datasets:
                                          orders: {connection: db1, table: public.orders, cursor: [updated_at, id]}
                                        consumers:
                                          a: {dataset: orders, target: {connection: db2, table: orders_copy}}
                                          b: {dataset: orders, target: {connection: db2, table: ORDERS_COPY}}
                                        """));
        assertThat(p.path()).isEqualTo("consumers.b.target");
        assertThat(p.message()).contains("a and b both write");
    }

    @Test
    void unknownConnectionDatasetAndParent() {
        List<GraphProblem> ps =
                problems(
                        CONNECTIONS
                                + """
                                datasets:
                                  orders: {connection: db9, table: public.orders, cursor: [id]}
                                  s: {parent: ghost}
                                consumers:
                                  a: {dataset: nowhere, target: {connection: db2, table: x}}
                                  b: {dataset: orders, target: {connection: db7, table: x}, mode: snapshot}
                                """);
        assertThat(ps)
                .extracting(GraphProblem::path)
                .containsExactly(
                        "consumers.a.dataset",
                        "consumers.b.target.connection",
                        "datasets.orders.connection",
                        "datasets.s.parent");
        assertThat(ps.get(3).message()).contains("slice of unknown parent dataset ghost");
        assertThat(ps.get(2).message())
                .contains("unknown connection db9")
                .contains("db1, db2, mdb");
    }

    @Test
    void cycleIsRejectedNamingEveryNode() {
        List<GraphProblem> ps =
                problems(
                        CONNECTIONS
                                + """
                                datasets:
                                  a: {connection: db1, table: public.orders, cursor: [updated_at, id]}
                                  b: {connection: db2, table: orders, cursor: [updated_at, id]}
                                consumers:
                                  a_to_b: {dataset: a, target: {connection: db2, table: orders}}
                                  b_to_a: {dataset: b, target: {connection: db1, table: orders}}
                                """);
        GraphProblem p =
                ps.stream().filter(x -> x.message().startsWith("cycle")).findFirst().orElseThrow();
        assertThat(p.message())
                .contains(
                        "dataset a -> consumer a_to_b -> dataset b -> consumer b_to_a -> dataset a");
        assertThat(p.path()).isEqualTo("consumers.b_to_a.target");
        assertThatThrownBy(
                        () ->
                                GraphParser.parse(
                                                CONNECTIONS
                                                        + """
                                                        datasets:
                                                          a: {connection: db1, table: t}
                                                        consumers:
                                                          self: {dataset: a, target: {connection: db1, table: public.t}, mode: snapshot}
                                                        """)
                                        .graph()
                                        .topologicalOrder())
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("cycle: dataset a -> consumer self -> dataset a");
    }

    @Test
    void sliceCycleIsACycleToo() {
        List<GraphProblem> ps =
                GraphValidator.validate(
                        CONNECTIONS + "datasets:\n  x: {parent: y}\n  y: {parent: x}\n", null);
        assertThat(ps)
                .singleElement()
                .satisfies(
                        p ->
                                assertThat(p.message())
                                        .contains("cycle: dataset x -> dataset y -> dataset x"));
    }

    @Test
    void incrementalWithoutCursorAndMissingTable() {
        List<GraphProblem> ps =
                problems(
                        CONNECTIONS
                                + """
                                datasets:
                                  orders: {connection: db1, table: public.orders}
                                  nothing: {connection: db2, table: not_there}
                                consumers:
                                  c: {dataset: orders, target: {connection: db2, table: o}}
                                """);
        assertThat(ps)
                .extracting(GraphProblem::path)
                .containsExactly("consumers.c.mode", "datasets.nothing.table");
    }

    @Test
    void unreachableDatabaseIsOneProblemPerConnection() {
        SchemaLookup down =
                (c, t) -> {
                    throw new SchemaLookup.SchemaLookupException("connection refused", null);
                };
        List<GraphProblem> ps = GraphValidator.validate(GraphFixtures.EXAMPLE, down);
        assertThat(ps)
                .extracting(GraphProblem::path)
                .containsExactly("connections.db1", "connections.mdb");
    }

    @Test
    void multiHopTargetsNeedNotExistYet() {
        String yaml =
                GraphFixtures.EXAMPLE
                        + """
                          m_to_db2: {dataset: big_orders_m, target: {connection: db2, table: big_orders}, approved: true, columns: [id, amount, updated_at]}
                        """;
        String full =
                CONNECTIONS.replace("db2: {", "db2: {") + yaml.substring(yaml.indexOf("datasets:"));
        full =
                full.replace(
                        "mdb: {dialect: mariadb, url: \"jdbc:mariadb://127.0.0.1:3306/mdb\"}",
                        "mdb: {dialect: mariadb, url: \"jdbc:mariadb://127.0.0.1:3306/mdb\", user: root}");
        assertThat(problems(full)).isEmpty();
        MapSchemaLookup withTarget = GraphFixtures.exampleTables();
        Optional<TableShape> none =
                withTarget.describe(
                        new ConnectionSpec("db2", "postgres", "jdbc:x", "", ""), "big_orders");
        assertThat(none).isEmpty();
        String bad =
                full.replace("columns: [id, amount, updated_at]", "columns: [id, status_code]");
        assertThat(problems(bad))
                .singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("consumers.m_to_db2.columns[1]"));
    }
}
