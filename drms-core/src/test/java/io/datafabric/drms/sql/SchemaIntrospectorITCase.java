package io.datafabric.drms.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.task.EdgeRunner;
import io.datafabric.drms.task.EdgeTask;
import io.datafabric.drms.task.TaskResult;
import io.datafabric.testing.MariaDbDatabase;
import io.datafabric.testing.PostgresDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaIntrospectorITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final MariaDbDatabase MDB = new MariaDbDatabase();

    private static ConnectionPools pools;
    private static Database pg;
    private static Database mdb;

    @BeforeAll
    static void setUp() {
        pools =
                new ConnectionPools(
                        List.of(
                                new ConnectionPools.PoolSpec(
                                        "pg",
                                        new JdbcSettings(PG.jdbcUrl(), PG.user(), ""),
                                        null,
                                        2),
                                new ConnectionPools.PoolSpec(
                                        "mdb",
                                        new JdbcSettings(MDB.jdbcUrl(), MDB.user(), ""),
                                        SqlDialect.forName("mysql"),
                                        2)));
        pg = pools.database("pg");
        mdb = pools.database("mdb");
    }

    @AfterAll
    static void tearDown() {
        pools.close();
    }

    private static Map<String, ColumnType> types(Database db, String table) throws Exception {
        try (Connection c = db.connect()) {
            TableSchema t = new SchemaIntrospector(db.dialect()).require(c, TableName.parse(table));
            return t.columns().stream().collect(Collectors.toMap(Column::name, Column::type));
        }
    }

    @Test
    void postgresColumnsMapToPortableTypes() throws Exception {
        PG.execute(
                "CREATE TABLE \"Typed\" (a bigserial PRIMARY KEY, b int, c smallint, d numeric(12,2),"
                        + " e numeric, f float8, g float4, h boolean, i varchar(10), j char(3), k text,"
                        + " l date, m time, n timestamp, o timestamptz, p bytea, q json, r jsonb, s uuid,"
                        + " t inet)");
        Map<String, ColumnType> t = types(pg, "typed"); // found ignoring case
        assertThat(t)
                .containsEntry("a", ColumnType.BIGINT)
                .containsEntry("b", ColumnType.INTEGER)
                .containsEntry("c", ColumnType.SMALLINT)
                .containsEntry("d", ColumnType.decimal(12, 2))
                .containsEntry("e", ColumnType.decimal(0, 0))
                .containsEntry("f", ColumnType.DOUBLE)
                .containsEntry("g", ColumnType.REAL)
                .containsEntry("h", ColumnType.BOOLEAN)
                .containsEntry("i", ColumnType.varchar(10))
                .containsEntry("j", ColumnType.fixedChar(3))
                .containsEntry("k", ColumnType.TEXT)
                .containsEntry("l", ColumnType.DATE)
                .containsEntry("m", ColumnType.TIME)
                .containsEntry("n", ColumnType.TIMESTAMP)
                .containsEntry("o", ColumnType.TIMESTAMPTZ)
                .containsEntry("p", ColumnType.BYTES)
                .containsEntry("q", ColumnType.JSON)
                .containsEntry("r", ColumnType.JSON)
                .containsEntry("s", ColumnType.UUID)
                .containsEntry("t", ColumnType.other("inet", "postgres"));
    }

    @Test
    void mariaDbColumnsMapToPortableTypes() throws Exception {
        MDB.execute(
                "CREATE TABLE typed (a BIGINT PRIMARY KEY, a2 BIGINT UNSIGNED, b INT, c SMALLINT,"
                        + " c2 TINYINT, h BOOLEAN, d DECIMAL(12,2), f DOUBLE, g FLOAT, i VARCHAR(10),"
                        + " j CHAR(3), k TEXT, l DATE, m TIME, n DATETIME(6), o TIMESTAMP(6) NULL,"
                        + " p BLOB, q JSON, y YEAR)");
        assertThat(types(mdb, "typed"))
                .containsEntry("a", ColumnType.BIGINT)
                .containsEntry("a2", ColumnType.decimal(20, 0))
                .containsEntry("b", ColumnType.INTEGER)
                .containsEntry("c", ColumnType.SMALLINT)
                .containsEntry("c2", ColumnType.SMALLINT)
                .containsEntry("h", ColumnType.BOOLEAN)
                .containsEntry("d", ColumnType.decimal(12, 2))
                .containsEntry("f", ColumnType.DOUBLE)
                .containsEntry("g", ColumnType.REAL)
                .containsEntry("i", ColumnType.varchar(10))
                .containsEntry("j", ColumnType.fixedChar(3))
                .containsEntry("k", ColumnType.TEXT)
                .containsEntry("l", ColumnType.DATE)
                .containsEntry("m", ColumnType.TIME)
                .containsEntry("n", ColumnType.TIMESTAMP)
                .containsEntry("o", ColumnType.TIMESTAMPTZ)
                .containsEntry("p", ColumnType.BYTES)
                .containsEntry("q", ColumnType.JSON)
                .containsEntry("y", ColumnType.SMALLINT);
    }

    @Test
    void hostileNamesReplicateBetweenBothDialectsWithoutHarm() throws Exception {
        String col = "a\"; DROP TABLE victim; --";
        String col2 = "b`; DROP TABLE victim; --";
        PG.execute("CREATE TABLE victim (x int)");
        MDB.execute("CREATE TABLE victim (x int)");
        PG.execute(
                "CREATE TABLE \"we\"\"ird; DROP TABLE victim; --\" (id int PRIMARY KEY, \"a\"\"; DROP"
                        + " TABLE victim; --\" text, \"b`; DROP TABLE victim; --\" text)");
        PG.execute(
                "INSERT INTO \"we\"\"ird; DROP TABLE victim; --\" SELECT g, 'v'' ' || g, '`' || g"
                        + " FROM generate_series(1, 50) g");
        TableName hostile = new TableName("public", "we\"ird; DROP TABLE victim; --");
        EdgeTask toMaria =
                EdgeTask.builder("hostile'; DROP TABLE drms_cursor; --")
                        .source(pg, hostile)
                        .filter(Filter.of(col, "like", "v' %"))
                        .target(mdb, TableName.of("t`; DROP TABLE victim; --"))
                        .mode(EdgeTask.Mode.SNAPSHOT)
                        .validation(EdgeTask.Validation.FULL)
                        .build();
        TaskResult r = new EdgeRunner().run(toMaria);
        assertThat(r.rowsUpserted()).isEqualTo(50);
        assertThat(r.validation().matches()).isTrue();
        EdgeTask back =
                EdgeTask.builder("back")
                        .source(mdb, TableName.of("t`; DROP TABLE victim; --"))
                        .filter(Filter.of(col2, "!=", "`7"))
                        .cursorColumns(List.of("id"))
                        .target(pg, TableName.of("back\"; DROP TABLE victim; --"))
                        .validation(EdgeTask.Validation.FULL)
                        .build();
        TaskResult b = new EdgeRunner().run(back);
        assertThat(b.rowsUpserted()).isEqualTo(49);
        assertThat(b.validation().matches()).isTrue();
        assertThat(PG.queryLong("SELECT count(*) FROM victim")).isZero();
        assertThat(MDB.queryLong("SELECT count(*) FROM victim")).isZero();
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM \"back\"\"; DROP TABLE victim; --\" WHERE \""
                                        + col.replace("\"", "\"\"")
                                        + "\" = 'v'' 7'"))
                .isZero();
        assertThat(
                        MDB.queryLong(
                                "SELECT count(*) FROM drms_cursor WHERE edge_id = 'hostile''; DROP TABLE drms_cursor; --'"))
                .isOne();
    }
}
