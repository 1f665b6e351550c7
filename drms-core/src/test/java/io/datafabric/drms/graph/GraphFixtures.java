package io.datafabric.drms.graph;

import java.util.List;

/** The graph file of the format's documentation, and the tables it reads. */
final class GraphFixtures {
    private GraphFixtures() {}

    static final String EXAMPLE =
            """
            connections:
              db1: {dialect: postgres, url: "jdbc:postgresql://127.0.0.1:5432/db1", user: postgres, password-env: DB1_PASSWORD}
              mdb: {dialect: mariadb,  url: "jdbc:mariadb://127.0.0.1:3306/mdb", user: root}
            datasets:
              orders:      {connection: db1, table: public.orders, cursor: [updated_at, id]}
              big_orders:                      # a slice: a filter and a projection of its parent
                parent: orders
                columns: [id, customer_id, amount, status, updated_at]
                filter: {all: [{column: amount, op: ">=", value: 100}, {column: status, op: in, values: [paid, shipped]}]}
              big_orders_m: {connection: mdb, table: big_orders, cursor: [updated_at, id]}   # a copy, publishable again
            consumers:
              big_to_mdb: {dataset: big_orders, target: {connection: mdb, table: big_orders}, schedule: 5s, mode: incremental, approved: true}
            """;

    static MapSchemaLookup exampleTables() {
        return new MapSchemaLookup()
                .table(
                        "db1",
                        "public.orders",
                        List.of("id"),
                        "id:integer",
                        "customer_id:integer",
                        "amount:decimal",
                        "status:text",
                        "note:text",
                        "deleted:boolean",
                        "created_at:timestamp",
                        "updated_at:timestamp");
    }
}
