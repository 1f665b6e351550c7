package io.datafabric.drms.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.ConnectionPools;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.SchemaIntrospector;
import io.datafabric.drms.sql.TableName;
import io.datafabric.drms.sql.TableSchema;
import io.datafabric.testing.MariaDbDatabase;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The graph file's example, end to end: {@code orders} (PostgreSQL) → slice {@code big_orders} →
 * MariaDB {@code big_orders} (staged) → its {@code paid} slice read from {@code big_orders__inc} →
 * PostgreSQL. Tests build on each other in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossDatabaseITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final MariaDbDatabase MDB = new MariaDbDatabase();
    @RegisterExtension static final PostgresDatabase PG2 = new PostgresDatabase();

    private static ConnectionPools pools;
    private static Database db1;
    private static Database mdb;
    private static Database db2;

    private static final Filter BIG_PAID =
            new Filter.All(
                    List.of(
                            Filter.of("amount", ">=", 100),
                            Filter.of("status", "in", List.of("paid", "shipped"))));
    private static final List<String> COLUMNS =
            List.of(
                    "id",
                    "customer_id",
                    "amount",
                    "status",
                    "updated_at",
                    "created",
                    "day",
                    "note",
                    "payload",
                    "flag",
                    "data",
                    "ratio",
                    "uid");

    @BeforeAll
    static void setUp() throws Exception {
        pools =
                new ConnectionPools(
                        List.of(
                                Dbs.spec("db1", PG.jdbcUrl(), PG.user()),
                                Dbs.spec("mdb", MDB.jdbcUrl(), MDB.user()),
                                Dbs.spec("db2", PG2.jdbcUrl(), PG2.user())));
        db1 = pools.database("db1");
        mdb = pools.database("mdb");
        db2 = pools.database("db2");
        Dbs.exec(
                db1,
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL,"
                        + " amount numeric(12,2) NOT NULL, status varchar(20), updated_at"
                        + " timestamptz NOT NULL, created timestamp, day date, note text, payload"
                        + " jsonb, flag boolean, data bytea, ratio double precision, uid uuid,"
                        + " deleted boolean NOT NULL DEFAULT false)",
                "INSERT INTO orders SELECT g, g % 17, (g % 300) + 0.5,"
                        + " (ARRAY['paid','shipped','new','void'])[1 + g % 4],"
                        + " timestamptz '2024-01-01 00:00:00.123456+00' + g * interval '1 second',"
                        + " timestamp '2023-06-01 12:00:00' + g * interval '1 minute',"
                        + " date '2024-01-01' + g % 100,"
                        + " CASE WHEN g % 10 = 0 THEN NULL ELSE E'n\\\\o\\tt\\ne ' || g || ' \u00fc\u4e2d\uD83D\uDE00' END,"
                        + " jsonb_build_object('k', g, 'arr', jsonb_build_array(1, 2.50, 'x')),"
                        + " g % 3 = 0, CASE WHEN g % 5 = 0 THEN NULL ELSE decode('00ff10', 'hex') END,"
                        + " g / 7.0, md5(g::text)::uuid, false"
                        + " FROM generate_series(1, 1200) g");
    }

    @AfterAll
    static void tearDown() {
        pools.close();
    }

    private static EdgeTask bigToMdb() {
        return EdgeTask.builder("big_to_mdb")
                .source(db1, TableName.parse("public.orders"))
                .columns(COLUMNS)
                .filter(BIG_PAID)
                .softDelete(Filter.of("deleted", "=", true))
                .cursorColumns(List.of("updated_at", "id"))
                .target(mdb, TableName.parse("big_orders"))
                .chunkSize(150)
                .deleteDiff(true)
                .validation(EdgeTask.Validation.FULL)
                .build();
    }

    private static EdgeTask paidToPg() {
        return EdgeTask.builder("paid_to_db2")
                .source(mdb, TableName.parse("big_orders"))
                .sourceKind(EdgeTask.SourceKind.STAGING)
                .columns(List.of("id", "amount", "status", "updated_at", "payload"))
                .filter(Filter.of("status", "=", "paid"))
                .target(db2, TableName.parse("public.paid_orders"))
                .chunkSize(100)
                .validation(EdgeTask.Validation.FULL)
                .build();
    }

    private static final String PG_SLICE =
            "SELECT id, amount::text, status, to_char(updated_at AT TIME ZONE 'UTC',"
                    + " 'YYYY-MM-DD HH24:MI:SS.US'), encode(data, 'hex'), note, flag::int::text"
                    + " FROM orders WHERE amount >= 100 AND status IN ('paid','shipped') AND NOT"
                    + " deleted ORDER BY id";
    private static final String MDB_COPY =
            "SELECT id, CAST(amount AS CHAR), status, DATE_FORMAT(updated_at, '%Y-%m-%d"
                    + " %H:%i:%s.%f'), LOWER(HEX(data)), note, CAST(flag AS CHAR) FROM big_orders"
                    + " ORDER BY id";

    @Test
    @Order(1)
    void snapshotPostgresToMariaDbCreatesTheTargetWithMappedTypes() throws Exception {
        TaskResult r = new EdgeRunner().run(bigToMdb());

        assertThat(r.validation().matches()).as(r.validation().toString()).isTrue();
        assertThat(r.rowsUpserted())
                .isEqualTo(Dbs.count(db1, "SELECT count(*) FROM (" + PG_SLICE + ") s"));
        assertThat(Dbs.rows(mdb, MDB_COPY)).isEqualTo(Dbs.rows(db1, PG_SLICE));
        assertThat(
                        Dbs.scalar(
                                mdb,
                                "SELECT JSON_EXTRACT(payload, '$.arr[1]') FROM big_orders WHERE id = 104"))
                .isEqualTo("2.50");
        assertThat(Dbs.scalar(mdb, "SELECT uid FROM big_orders WHERE id = 104"))
                .isEqualTo(Dbs.scalar(db1, "SELECT uid::text FROM orders WHERE id = 104"));
        try (Connection c = mdb.connect()) {
            TableSchema t =
                    new SchemaIntrospector(mdb.dialect()).require(c, TableName.of("big_orders"));
            assertThat(t.primaryKey()).containsExactly("id");
            assertThat(t.column("amount").type()).isEqualTo(ColumnType.decimal(12, 2));
            assertThat(t.column("updated_at").type()).isEqualTo(ColumnType.TIMESTAMP);
            assertThat(t.column("payload").type()).isEqualTo(ColumnType.JSON);
            assertThat(t.column("flag").type()).isEqualTo(ColumnType.BOOLEAN);
            assertThat(t.column("data").type()).isEqualTo(ColumnType.BYTES);
            assertThat(t.column("status").type()).isEqualTo(ColumnType.varchar(20));
            assertThat(t.column("uid").type()).isEqualTo(ColumnType.fixedChar(36));
            assertThat(t.column("customer_id").nullable()).isFalse();
        }
        assertThat(Dbs.count(mdb, "SELECT count(*) FROM big_orders__inc")).isZero();
    }

    @Test
    @Order(2)
    void downstreamEdgeSnapshotsFromMariaDbIntoPostgres() throws Exception {
        TaskResult r = new EdgeRunner().run(paidToPg());

        assertThat(r.snapshotStarted()).isTrue();
        assertThat(r.validation().matches()).as(r.validation().toString()).isTrue();
        assertThat(
                        Dbs.rows(
                                db2,
                                "SELECT id, amount::text, payload::text FROM paid_orders ORDER BY id"))
                .isEqualTo(
                        Dbs.rows(
                                db1,
                                "SELECT id, amount::text, payload::text FROM orders WHERE amount >= 100"
                                        + " AND status = 'paid' ORDER BY id"));
        assertThat(EdgeCursor.fromJson(r.cursorTo()).position().values()).containsExactly("0");
    }

    @Test
    @Order(3)
    void incrementsFlowThroughTheStagingAreaWithDeletesAndSliceMoves() throws Exception {
        Dbs.exec(
                db1,
                // update within both slices
                "UPDATE orders SET amount = 999, updated_at = '2025-01-01 00:00:01+00' WHERE id = 104",
                // paid -> shipped: stays in big_orders, leaves the paid slice downstream
                "UPDATE orders SET status = 'shipped', updated_at = '2025-01-01 00:00:02+00' WHERE id = 108",
                // leaves big_orders (amount drops)
                "UPDATE orders SET amount = 1, updated_at = '2025-01-01 00:00:03+00' WHERE id = 112",
                // soft delete
                "UPDATE orders SET deleted = true, updated_at = '2025-01-01 00:00:04+00' WHERE id = 116",
                // hard delete (found by the key diff)
                "DELETE FROM orders WHERE id = 120",
                // new row in both slices
                "INSERT INTO orders (id, customer_id, amount, status, updated_at) VALUES (5000, 1, 150, 'paid', '2025-01-01 00:00:05+00')");

        TaskResult up = new EdgeRunner().run(bigToMdb());
        assertThat(up.rowsUpserted()).isEqualTo(3); // 104, 108, 5000
        assertThat(up.rowsDeleted()).isEqualTo(3); // 112 moved out, 116 soft-deleted, 120 by diff
        assertThat(up.validation().matches()).isTrue();
        assertThat(Dbs.rows(mdb, MDB_COPY)).isEqualTo(Dbs.rows(db1, PG_SLICE));
        assertThat(
                        Dbs.rows(
                                mdb,
                                "SELECT batch_id, op, id FROM big_orders__inc ORDER BY batch_id, op, id"))
                .extracting(row -> row.get(1) + ":" + row.get(2))
                .containsExactly(
                        "delete:112",
                        "delete:116",
                        "upsert:104",
                        "upsert:108",
                        "upsert:5000",
                        "delete:120");

        TaskResult down = new EdgeRunner().run(paidToPg());
        assertThat(down.snapshotStarted()).isFalse();
        assertThat(down.rowsUpserted()).isEqualTo(2); // 104, 5000
        assertThat(down.rowsDeleted()).isEqualTo(4); // 108 left 'paid'; 112, 116, 120 deleted
        assertThat(down.validation().matches()).isTrue();
        assertThat(Dbs.rows(db2, "SELECT id, amount::text FROM paid_orders ORDER BY id"))
                .isEqualTo(
                        Dbs.rows(
                                db1,
                                "SELECT id, amount::text FROM orders WHERE amount >= 100 AND status"
                                        + " = 'paid' AND NOT deleted ORDER BY id"));
        // Caught up with the whole staging area: the position is a batch boundary.
        EdgeCursor.Position p = EdgeCursor.fromJson(down.cursorTo()).position();
        assertThat(p.isBoundary()).isTrue();
        assertThat(Long.parseLong(p.values().get(0)))
                .isEqualTo(Dbs.count(mdb, "SELECT max(batch_id) FROM big_orders__inc"));
    }

    @Test
    @Order(4)
    void aReaderBehindPrunedIncrementsResnapshots() throws Exception {
        Dbs.exec(
                db1,
                "UPDATE orders SET amount = 777, updated_at = '2025-02-01 00:00:00+00' WHERE id = 200");
        EdgeTask prunesEverything =
                EdgeTask.builder("big_to_mdb")
                        .source(db1, TableName.parse("public.orders"))
                        .columns(COLUMNS)
                        .filter(BIG_PAID)
                        .softDelete(Filter.of("deleted", "=", true))
                        .cursorColumns(List.of("updated_at", "id"))
                        .target(mdb, TableName.parse("big_orders"))
                        .incrementRetention(Duration.ZERO)
                        .build();
        TaskResult up = new EdgeRunner().run(prunesEverything);
        assertThat(up.rowsUpserted()).isEqualTo(1);
        assertThat(up.prunedIncrements()).isGreaterThan(0);
        assertThat(Dbs.rows(mdb, "SELECT op FROM big_orders__inc"))
                .containsExactly(List.of("pruned"));

        TaskResult down = new EdgeRunner().run(paidToPg());

        assertThat(down.snapshotStarted()).isTrue();
        assertThat(down.validation().matches()).isTrue();
        assertThat(Dbs.scalar(db2, "SELECT amount::text FROM paid_orders WHERE id = 200"))
                .isEqualTo("777.00");
    }
}
