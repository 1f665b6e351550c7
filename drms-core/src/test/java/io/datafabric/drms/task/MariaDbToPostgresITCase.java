package io.datafabric.drms.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.drms.extract.PrimaryKeyDiff;
import io.datafabric.drms.extract.SliceSource;
import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.sql.ConnectionPools;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.SchemaIntrospector;
import io.datafabric.drms.sql.TableName;
import io.datafabric.drms.sql.TableSchema;
import io.datafabric.drms.sql.UnknownColumnException;
import io.datafabric.testing.MariaDbDatabase;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbToPostgresITCase {
    @RegisterExtension static final MariaDbDatabase MDB = new MariaDbDatabase();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    private static ConnectionPools pools;
    private static Database mdb;
    private static Database pg;

    private static final Filter NOT_SKIPPED =
            new Filter.Any(
                    List.of(
                            new Filter.Not(Filter.of("kind", "=", "skip")),
                            Filter.of("kind", "is null", null)));

    @BeforeAll
    static void setUp() throws Exception {
        pools =
                new ConnectionPools(
                        List.of(
                                Dbs.spec("mdb", MDB.jdbcUrl(), MDB.user()),
                                Dbs.spec("pg", PG.jdbcUrl(), PG.user())));
        mdb = pools.database("mdb");
        pg = pools.database("pg");
        Dbs.exec(
                mdb,
                "CREATE TABLE events (code VARCHAR(40) PRIMARY KEY, seq BIGINT NOT NULL,"
                        + " kind VARCHAR(10), body TEXT, changed_at DATETIME(6) NOT NULL,"
                        + " ok TINYINT(1), price DECIMAL(10,3), seen TIMESTAMP(6) NULL)",
                "INSERT INTO events SELECT CONCAT('ev-', seq, CASE WHEN seq % 2 = 0 THEN 'A' ELSE"
                        + " 'a' END), seq, ELT(1 + seq % 3, 'click', 'view', 'skip'),"
                        + " CONCAT('b\\\\', seq, '\\t\u00e9'), TIMESTAMP '2024-03-01 00:00:00' +"
                        + " INTERVAL seq MINUTE, seq % 2, seq / 8, TIMESTAMP '2024-03-01"
                        + " 00:00:00.5' + INTERVAL seq SECOND FROM seq_1_to_500");
    }

    @AfterAll
    static void tearDown() {
        pools.close();
    }

    private static EdgeTask events() {
        return EdgeTask.builder("events_to_pg")
                .source(mdb, TableName.of("events"))
                .filter(NOT_SKIPPED)
                .cursorColumns(List.of("changed_at"))
                .lookback(Duration.ofHours(1))
                .target(pg, TableName.parse("public.events_copy"))
                .chunkSize(120)
                .deleteDiff(true)
                .validation(EdgeTask.Validation.WINDOW)
                .build();
    }

    private static final String PG_VIEW =
            "SELECT code, seq, kind, body, to_char(changed_at, 'YYYY-MM-DD HH24:MI:SS.US'),"
                    + " ok::int::text, price::text, to_char(seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"
                    + " HH24:MI:SS.US') FROM events_copy ORDER BY seq";
    private static final String MDB_VIEW =
            "SELECT code, seq, kind, body, DATE_FORMAT(changed_at, '%Y-%m-%d %H:%i:%s.%f'),"
                    + " CAST(ok AS CHAR), CAST(price AS CHAR), DATE_FORMAT(seen, '%Y-%m-%d"
                    + " %H:%i:%s.%f') FROM events WHERE kind <> 'skip' OR kind IS NULL ORDER BY seq";

    @Test
    void cursorIncrementsWithLookbackLateRowsAndTextKeys() throws Exception {
        TaskResult first = new EdgeRunner().run(events());
        assertThat(first.validation().matches()).isTrue();
        assertThat(Dbs.rows(pg, PG_VIEW)).isEqualTo(Dbs.rows(mdb, MDB_VIEW));
        EdgeCursor.Position p = EdgeCursor.fromJson(first.cursorTo()).position();
        assertThat(p.columns()).containsExactly("changed_at", "code");
        assertThat(p.values().get(0)).isEqualTo("2024-03-01T08:20:00.000000Z"); // seq 500
        assertThat(Dbs.count(pg, "SELECT count(*) FROM events_copy WHERE code = 'ev-4A'")).isOne();

        Dbs.exec(
                mdb,
                "UPDATE events SET body = 'edited', changed_at = '2024-03-01 09:00:00' WHERE seq = 10",
                // committed late: older than the stored position, inside the look-back hour
                "INSERT INTO events VALUES ('late-1', 9001, 'view', 'late', '2024-03-01 08:00:00', 1, 1, NULL)",
                // older than the look-back window: increments cannot see it
                "INSERT INTO events VALUES ('too-late', 9002, 'view', 'late', '2024-03-01 06:00:00', 1, 1, NULL)",
                // moves out of the slice
                "UPDATE events SET kind = 'skip', changed_at = '2024-03-01 09:00:01' WHERE seq = 13",
                "DELETE FROM events WHERE seq IN (12, 15)");

        TaskResult second = new EdgeRunner().run(events());

        assertThat(second.rowsUpserted()).isEqualTo(2); // seq 10, late-1
        assertThat(second.rowsDeleted()).isEqualTo(3); // 13 left the slice, 12 and 15 by diff
        // Rows re-read inside the look-back hour that did not change are skipped.
        assertThat(second.rowsSkipped()).isGreaterThan(30);
        assertThat(
                        Dbs.rows(
                                pg,
                                "SELECT op, code FROM events_copy__inc ORDER BY batch_id, op, code"))
                .containsExactly(
                        List.of("delete", "ev-13a"),
                        List.of("upsert", "ev-10A"),
                        List.of("upsert", "late-1"),
                        List.of("delete", "ev-12A"),
                        List.of("delete", "ev-15a"));
        assertThat(Dbs.count(pg, "SELECT count(*) FROM events_copy WHERE code = 'too-late'"))
                .isZero();
        assertThat(second.validation().scope()).isEqualTo("rows with the 5 keys this run changed");
        assertThat(second.validation().matches()).isTrue();
        assertThat(second.validation().target().count()).isEqualTo(2); // ev-10A, late-1

        // The key diff of text keys looks keys up instead of merging (collations differ).
        try (Connection c = mdb.connect()) {
            TableSchema t =
                    new SchemaIntrospector(mdb.dialect()).require(c, TableName.of("events"));
            SliceSource s = new SliceSource(mdb, t, t.columnNames(), NOT_SKIPPED, null);
            TableSchema target;
            try (Connection pc = pg.connect()) {
                target =
                        new SchemaIntrospector(pg.dialect())
                                .require(pc, TableName.of("events_copy"));
            }
            PrimaryKeyDiff diff = new PrimaryKeyDiff(s, pg, target, 100);
            assertThat(diff.strategy()).isEqualTo(PrimaryKeyDiff.Strategy.PROBE);
            assertThat(diff.next()).isEmpty();
            assertThat(diff.targetKeysSeen())
                    .isEqualTo(Dbs.count(pg, "SELECT count(*) FROM events_copy"));
        }
    }

    @Test
    void configurationErrorsNameTheCulprit() {
        EdgeTask unknownColumn =
                EdgeTask.builder("bad_filter")
                        .source(mdb, TableName.of("events"))
                        .filter(Filter.of("kind\"; DROP TABLE events; --", "=", "x"))
                        .cursorColumns(List.of("changed_at"))
                        .target(pg, TableName.of("never_created"))
                        .build();
        assertThatThrownBy(() -> new EdgeRunner().run(unknownColumn))
                .isInstanceOf(UnknownColumnException.class)
                .hasMessageContaining("kind\"; DROP TABLE events; --")
                .hasMessageContaining("events");
        EdgeTask noTable =
                EdgeTask.builder("no_table")
                        .source(mdb, TableName.of("nope"))
                        .cursorColumns(List.of("changed_at"))
                        .target(pg, TableName.of("never_created"))
                        .build();
        assertThatThrownBy(() -> new EdgeRunner().run(noTable))
                .hasMessageContaining("table nope does not exist");
        EdgeTask badCursor =
                EdgeTask.builder("bad_cursor")
                        .source(mdb, TableName.of("events"))
                        .cursorColumns(List.of("updated"))
                        .target(pg, TableName.of("never_created"))
                        .build();
        assertThatThrownBy(() -> new EdgeRunner().run(badCursor))
                .isInstanceOf(UnknownColumnException.class)
                .hasMessageContaining("'updated'");
    }
}
