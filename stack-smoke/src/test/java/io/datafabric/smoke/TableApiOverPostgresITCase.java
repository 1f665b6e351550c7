package io.datafabric.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Flink SQL over PostgreSQL through the JDBC table connector: a query, and an upsert back. */
class TableApiOverPostgresITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    @BeforeAll
    static void createTables() throws Exception {
        PG.execute(
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, status TEXT NOT NULL, amount BIGINT NOT NULL)");
        PG.execute(
                "INSERT INTO orders SELECT g, CASE WHEN g % 3 = 0 THEN 'paid' WHEN g % 3 = 1"
                        + " THEN 'shipped' ELSE 'open' END, g * 10 FROM generate_series(1, 999) g");
        PG.execute(
                "CREATE TABLE totals (status TEXT PRIMARY KEY, orders BIGINT NOT NULL, amount BIGINT NOT NULL)");
    }

    private static String jdbcTable(String name, String schema, String table) {
        return "CREATE TABLE "
                + name
                + " ("
                + schema
                + ") WITH ('connector' = 'jdbc', 'url' = '"
                + PG.jdbcUrl()
                + "', 'table-name' = '"
                + table
                + "', 'username' = '"
                + PG.user()
                + "', 'password' = '')";
    }

    @Test
    void queriesAndUpsertsThroughTheJdbcTableConnector() throws Exception {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tEnv.executeSql(jdbcTable("orders", "id BIGINT, status STRING, amount BIGINT", "orders"));
        tEnv.executeSql(
                jdbcTable(
                        "totals",
                        "status STRING, orders BIGINT, amount BIGINT, PRIMARY KEY (status) NOT ENFORCED",
                        "totals"));

        Map<String, Long> sums = new HashMap<>();
        try (CloseableIterator<Row> rows =
                tEnv.executeSql("SELECT status, SUM(amount) FROM orders GROUP BY status")
                        .collect()) {
            rows.forEachRemaining(r -> sums.put((String) r.getField(0), (Long) r.getField(1)));
        }
        Map<String, Long> expected = new HashMap<>();
        for (long g = 1; g <= 999; g++) {
            String status = g % 3 == 0 ? "paid" : g % 3 == 1 ? "shipped" : "open";
            expected.merge(status, g * 10, Long::sum);
        }
        assertThat(sums).isEqualTo(expected);

        // Twice: the second run must upsert over the first, not duplicate it.
        for (int run = 0; run < 2; run++) {
            tEnv.executeSql(
                            "INSERT INTO totals SELECT status, COUNT(*), SUM(amount) FROM orders"
                                    + " GROUP BY status")
                    .await();
        }
        assertThat(PG.queryLong("SELECT count(*) FROM totals")).isEqualTo(3);
        assertThat(PG.queryLong("SELECT amount FROM totals WHERE status = 'paid'"))
                .isEqualTo(expected.get("paid"));
        assertThat(PG.queryLong("SELECT sum(orders) FROM totals")).isEqualTo(999);
    }
}
