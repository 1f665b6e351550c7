package io.datafabric.drms.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.sql.ConnectionPools;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.TableName;
import io.datafabric.testing.PostgresDatabase;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresToPostgresITCase {
    @RegisterExtension static final PostgresDatabase SRC = new PostgresDatabase();
    @RegisterExtension static final PostgresDatabase TGT = new PostgresDatabase();

    private static ConnectionPools pools;
    private static Database src;
    private static Database tgt;

    private static final Filter BIG_PAID =
            new Filter.All(
                    List.of(
                            Filter.of("amount", ">=", 100),
                            Filter.of("status", "in", List.of("paid", "shipped"))));
    private static final List<String> SLICE_COLUMNS =
            List.of("id", "customer_id", "amount", "status", "updated_at", "note", "payload");
    private static final String SLICE_SQL =
            "SELECT id, customer_id, amount, status, updated_at, note, payload::text FROM %s"
                    + " WHERE amount >= 100 AND status IN ('paid', 'shipped') ORDER BY id";

    @BeforeAll
    static void setUp() {
        pools =
                new ConnectionPools(
                        List.of(
                                Dbs.spec("src", SRC.jdbcUrl(), SRC.user()),
                                Dbs.spec("tgt", TGT.jdbcUrl(), TGT.user())));
        src = pools.database("src");
        tgt = pools.database("tgt");
    }

    @AfterAll
    static void tearDown() {
        pools.close();
    }

    private static void createOrders(String table, int rows) throws Exception {
        Dbs.exec(
                src,
                "CREATE TABLE "
                        + table
                        + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                        + " amount numeric(12,2) NOT NULL, status text, updated_at timestamptz NOT"
                        + " NULL, note text, payload jsonb, flag boolean, data bytea)",
                "INSERT INTO "
                        + table
                        + " SELECT g, g % 17, (g % 300)::numeric + 0.25,"
                        + " (ARRAY['paid','shipped','new','void'])[1 + g % 4],"
                        + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',"
                        + " E'line\\ttab\\nnew \\\\ back ' || g || ' \u00e9\u20ac',"
                        + " jsonb_build_object('n', g, 'b', 'x'), g % 2 = 0, decode('00ff', 'hex')"
                        + " FROM generate_series(1, "
                        + rows
                        + ") g");
    }

    private EdgeTask.Builder edge(String id, String source, String target) {
        return EdgeTask.builder(id)
                .source(src, TableName.parse("public." + source))
                .target(tgt, TableName.parse(target))
                .columns(SLICE_COLUMNS)
                .filter(BIG_PAID)
                .cursorColumns(List.of("updated_at", "id"))
                .chunkSize(250)
                .copyChunkRows(400);
    }

    @Test
    void snapshotThenIncrementalWithUpdatesDeletesAndRowsLeavingTheSlice() throws Exception {
        createOrders("orders", 3000);
        EdgeTask task =
                edge("pg_big", "orders", "big_orders")
                        .deleteDiff(true)
                        .validation(EdgeTask.Validation.FULL)
                        .build();
        EdgeRunner runner = new EdgeRunner();

        TaskResult first = runner.run(task);

        long expected =
                Dbs.count(
                        src,
                        "SELECT count(*) FROM orders WHERE amount >= 100 AND status IN ('paid','shipped')");
        assertThat(expected).isGreaterThan(500);
        assertThat(first.rowsUpserted()).isEqualTo(expected);
        assertThat(first.snapshotStarted()).isTrue();
        assertThat(first.phase()).isEqualTo(EdgeCursor.Phase.INCREMENTAL);
        assertThat(first.validation().matches()).as(first.validation().toString()).isTrue();
        assertThat(Dbs.rows(tgt, SLICE_SQL.formatted("big_orders")))
                .isEqualTo(Dbs.rows(src, SLICE_SQL.formatted("orders")));
        // The initial load into an empty table is not staged.
        assertThat(Dbs.count(tgt, "SELECT count(*) FROM big_orders__inc")).isZero();

        // Changes: an update inside the slice, one moving a row out of the slice, one moving a
        // row in, an insert, a hard delete.
        Dbs.exec(
                src,
                "UPDATE orders SET note = 'changed', updated_at = timestamptz '2025-01-01 00:00:01+00' WHERE id = 101",
                "UPDATE orders SET status = 'void', updated_at = timestamptz '2025-01-01 00:00:02+00' WHERE id = 104",
                "UPDATE orders SET amount = 500, updated_at = timestamptz '2025-01-01 00:00:03+00' WHERE id = 52",
                "INSERT INTO orders VALUES (5001, 1, 1000, 'paid', timestamptz '2025-01-01 00:00:04+00', 'new row', '{}', true, NULL)",
                "DELETE FROM orders WHERE id = 105");
        assertThat(Dbs.count(tgt, "SELECT count(*) FROM big_orders WHERE id IN (101, 104, 105)"))
                .isEqualTo(3);

        TaskResult second = runner.run(task);

        assertThat(second.snapshotStarted()).isFalse();
        assertThat(second.rowsUpserted()).isEqualTo(3); // 101, 52, 5001
        assertThat(second.rowsDeleted()).isEqualTo(2); // 104 moved out, 105 deleted (diff)
        assertThat(second.validation().matches()).isTrue();
        assertThat(Dbs.rows(tgt, SLICE_SQL.formatted("big_orders")))
                .isEqualTo(Dbs.rows(src, SLICE_SQL.formatted("orders")));
        assertThat(Dbs.scalar(tgt, "SELECT note FROM big_orders WHERE id = 101"))
                .isEqualTo("changed");

        // Increments are staged with their batch and operation.
        assertThat(Dbs.rows(tgt, "SELECT op, id FROM big_orders__inc ORDER BY batch_id, op, id"))
                .containsExactly(
                        List.of("delete", "104"),
                        List.of("upsert", "52"),
                        List.of("upsert", "101"),
                        List.of("upsert", "5001"),
                        List.of("delete", "105"));
        assertThat(Dbs.count(tgt, "SELECT count(DISTINCT batch_id) FROM big_orders__inc"))
                .isEqualTo(2);
        // The cursor committed with the last increment points at the newest change.
        String cursor = Dbs.scalar(tgt, "SELECT cursor FROM drms_cursor WHERE edge_id = 'pg_big'");
        assertThat(EdgeCursor.fromJson(cursor).position().values())
                .containsExactly("2025-01-01T00:00:04.000000Z", "5001");
        assertThat(Dbs.count(tgt, "SELECT max(batch_id) FROM big_orders__inc"))
                .isEqualTo(EdgeCursor.fromJson(cursor).batch());

        // Nothing changed: nothing loaded.
        TaskResult third = runner.run(task);
        assertThat(third.rowsUpserted() + third.rowsDeleted()).isZero();
        assertThat(third.cursorTo()).isEqualTo(cursor);
    }

    @Test
    void resumedSnapshotAfterACrashHasNoDuplicatesAndNoGaps() throws Exception {
        createOrders("orders_crash", 6000);
        AtomicInteger committed = new AtomicInteger();
        BatchListener crashAfterTwo =
                new BatchListener() {
                    @Override
                    public void afterCommit(BatchInfo batch) {
                        if (committed.incrementAndGet() == 2) {
                            throw new IllegalStateException("injected crash after batch 2");
                        }
                    }
                };
        BatchListener failBeforeCommit =
                new BatchListener() {
                    @Override
                    public void beforeCommit(BatchInfo batch) {
                        throw new IllegalStateException(
                                "injected crash inside batch " + batch.batchId());
                    }
                };
        EdgeTask task =
                edge("pg_crash", "orders_crash", "crash_copy").mode(EdgeTask.Mode.SNAPSHOT).build();

        assertThatThrownBy(() -> new EdgeRunner(crashAfterTwo, Clock.systemUTC()).run(task))
                .hasMessageContaining("injected crash after batch 2");
        long afterCrash = Dbs.count(tgt, "SELECT count(*) FROM crash_copy");
        assertThat(afterCrash).isEqualTo(800); // two committed COPY chunks of 400 rows
        EdgeCursor saved =
                EdgeCursor.fromJson(
                        Dbs.scalar(
                                tgt, "SELECT cursor FROM drms_cursor WHERE edge_id = 'pg_crash'"));
        assertThat(saved.phase()).isEqualTo(EdgeCursor.Phase.SNAPSHOT);
        assertThat(saved.snapshot().direct()).isTrue();
        assertThat(Dbs.scalar(tgt, "SELECT max(id)::text FROM crash_copy"))
                .isEqualTo(saved.snapshot().after().get(0));

        // A crash inside the third batch's transaction leaves nothing of it behind.
        assertThatThrownBy(() -> new EdgeRunner(failBeforeCommit, Clock.systemUTC()).run(task))
                .hasMessageContaining("injected crash inside batch 3");
        assertThat(Dbs.count(tgt, "SELECT count(*) FROM crash_copy")).isEqualTo(afterCrash);

        TaskResult resumed = new EdgeRunner().run(task);

        assertThat(resumed.snapshotStarted()).isFalse();
        long expected =
                Dbs.count(
                        src,
                        "SELECT count(*) FROM orders_crash WHERE amount >= 100 AND status IN ('paid','shipped')");
        assertThat(resumed.rowsUpserted()).isEqualTo(expected - afterCrash);
        assertThat(Dbs.count(tgt, "SELECT count(*) FROM crash_copy")).isEqualTo(expected);
        assertThat(
                        Dbs.rows(
                                tgt,
                                "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM ("
                                        + SLICE_SQL.formatted("crash_copy")
                                        + ") t"))
                .isEqualTo(
                        Dbs.rows(
                                src,
                                "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM ("
                                        + SLICE_SQL.formatted("orders_crash")
                                        + ") t"));
        assertThat(resumed.phase()).isEqualTo(EdgeCursor.Phase.IDLE);

        // A second snapshot-mode pass over a non-empty target upserts, stages and diffs.
        Dbs.exec(
                src,
                "DELETE FROM orders_crash WHERE id IN (1, 2, 3, 5, 9, 13)",
                "UPDATE orders_crash SET status = 'void' WHERE id = 1001");
        TaskResult again = new EdgeRunner().run(task);
        long deletedFromSlice = 1; // id 1001 (paid/shipped, amount >= 100) left the slice
        assertThat(again.rowsDeleted())
                .isEqualTo(
                        Dbs.count(tgt, "SELECT count(*) FROM crash_copy__inc WHERE op = 'delete'"));
        assertThat(Dbs.count(tgt, "SELECT count(*) FROM crash_copy"))
                .isEqualTo(
                        Dbs.count(
                                src,
                                "SELECT count(*) FROM orders_crash WHERE amount >= 100 AND status IN ('paid','shipped')"));
        assertThat(again.rowsDeleted()).isGreaterThanOrEqualTo(deletedFromSlice);
        assertThat(Dbs.count(tgt, "SELECT count(*) FROM crash_copy__inc WHERE op = 'upsert'"))
                .isEqualTo(again.rowsUpserted());
    }

    @Test
    void aSecondRunnerCannotAdvanceTheSameCursor() throws Exception {
        createOrders("orders_race", 3000);
        EdgeTask task = edge("pg_race", "orders_race", "race_copy").copyChunkRows(300).build();
        AtomicInteger nested = new AtomicInteger();
        BatchListener interloper =
                new BatchListener() {
                    @Override
                    public void afterCommit(BatchInfo batch) {
                        if (nested.getAndIncrement() == 0) {
                            try {
                                // Another runner moves the same edge while this one is between
                                // batches.
                                new EdgeRunner().run(task);
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                };
        assertThatThrownBy(() -> new EdgeRunner(interloper, Clock.systemUTC()).run(task))
                .isInstanceOf(io.datafabric.drms.load.CursorConflictException.class)
                .hasMessageContaining("pg_race");
        // The interloper finished the load; nothing was loaded twice or lost.
        assertThat(Dbs.rows(tgt, SLICE_SQL.formatted("race_copy")))
                .isEqualTo(Dbs.rows(src, SLICE_SQL.formatted("orders_race")));
    }

    @Test
    void theGenericDialectLoadsThroughPlainJdbc() throws Exception {
        createOrders("orders_generic", 600);
        try (ConnectionPools generic =
                new ConnectionPools(
                        List.of(
                                new ConnectionPools.PoolSpec(
                                        "gsrc",
                                        new io.datafabric.common.jdbc.JdbcSettings(
                                                SRC.jdbcUrl(), SRC.user(), ""),
                                        io.datafabric.drms.sql.GenericDialect.INSTANCE,
                                        2),
                                new ConnectionPools.PoolSpec(
                                        "gtgt",
                                        new io.datafabric.common.jdbc.JdbcSettings(
                                                TGT.jdbcUrl(), TGT.user(), ""),
                                        io.datafabric.drms.sql.GenericDialect.INSTANCE,
                                        2)))) {
            EdgeTask task =
                    EdgeTask.builder("generic")
                            .source(generic.database("gsrc"), TableName.parse("orders_generic"))
                            .target(generic.database("gtgt"), TableName.parse("generic_copy"))
                            .columns(
                                    List.of(
                                            "id",
                                            "customer_id",
                                            "amount",
                                            "status",
                                            "updated_at",
                                            "note"))
                            .filter(BIG_PAID)
                            .cursorColumns(List.of("updated_at", "id"))
                            .chunkSize(70)
                            .deleteDiff(true)
                            .validation(EdgeTask.Validation.FULL)
                            .build();
            TaskResult first = new EdgeRunner().run(task);
            assertThat(first.validation().matches()).isTrue();
            assertThat(first.batches()).isGreaterThan(2);
            Dbs.exec(
                    src,
                    "UPDATE orders_generic SET note = 'g', updated_at = now() WHERE id = 101",
                    "DELETE FROM orders_generic WHERE id = 105");
            TaskResult second = new EdgeRunner().run(task);
            assertThat(second.rowsUpserted()).isEqualTo(1);
            assertThat(second.rowsDeleted()).isEqualTo(1);
            assertThat(second.validation().matches()).isTrue();
            assertThat(Dbs.scalar(tgt, "SELECT note FROM generic_copy WHERE id = 101"))
                    .isEqualTo("g");
            assertThat(Dbs.count(tgt, "SELECT count(*) FROM generic_copy__inc")).isEqualTo(2);
            // Tables created by the generic dialect's DDL exist once; a third run reuses them.
            assertThat(new EdgeRunner().run(task).batches()).isZero();
        }
    }
}
