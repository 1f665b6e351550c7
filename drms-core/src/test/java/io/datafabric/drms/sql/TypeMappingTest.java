package io.datafabric.drms.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeMappingTest {
    private static final PostgresDialect PG = PostgresDialect.INSTANCE;
    private static final MariaDbDialect MARIA = MariaDbDialect.INSTANCE;

    @Test
    void postgresMetadataMapsToPortableTypes() {
        assertThat(PG.typeOf(new JdbcColumn(Types.BIGINT, "bigserial", 19, 0)))
                .isEqualTo(ColumnType.BIGINT);
        assertThat(PG.typeOf(new JdbcColumn(Types.NUMERIC, "numeric", 12, 2)))
                .isEqualTo(ColumnType.decimal(12, 2));
        assertThat(PG.typeOf(new JdbcColumn(Types.NUMERIC, "numeric", 0, -1)))
                .isEqualTo(ColumnType.decimal(0, 0));
        assertThat(PG.typeOf(new JdbcColumn(Types.BIT, "bool", 1, 0)))
                .isEqualTo(ColumnType.BOOLEAN);
        assertThat(PG.typeOf(new JdbcColumn(Types.VARCHAR, "varchar", 10, 0)))
                .isEqualTo(ColumnType.varchar(10));
        assertThat(PG.typeOf(new JdbcColumn(Types.VARCHAR, "text", Integer.MAX_VALUE, 0)))
                .isEqualTo(ColumnType.TEXT);
        assertThat(PG.typeOf(new JdbcColumn(Types.TIMESTAMP, "timestamptz", 35, 6)))
                .isEqualTo(ColumnType.TIMESTAMPTZ);
        assertThat(PG.typeOf(new JdbcColumn(Types.OTHER, "jsonb", 0, 0)))
                .isEqualTo(ColumnType.JSON);
        assertThat(PG.typeOf(new JdbcColumn(Types.OTHER, "uuid", 0, 0))).isEqualTo(ColumnType.UUID);
        assertThat(PG.typeOf(new JdbcColumn(Types.OTHER, "inet", 0, 0)))
                .isEqualTo(ColumnType.other("inet", "postgres"));
    }

    @Test
    void mariaDbMetadataMapsToPortableTypes() {
        assertThat(MARIA.typeOf(new JdbcColumn(Types.BIGINT, "BIGINT UNSIGNED", 20, 0)))
                .isEqualTo(ColumnType.decimal(20, 0));
        assertThat(MARIA.typeOf(new JdbcColumn(Types.INTEGER, "INT UNSIGNED", 10, 0)))
                .isEqualTo(ColumnType.BIGINT);
        assertThat(MARIA.typeOf(new JdbcColumn(Types.BOOLEAN, "BOOLEAN", 3, 0)))
                .isEqualTo(ColumnType.BOOLEAN);
        assertThat(MARIA.typeOf(new JdbcColumn(Types.BIT, "BIT", 1, -1)))
                .isEqualTo(ColumnType.BOOLEAN);
        assertThat(MARIA.typeOf(new JdbcColumn(Types.TINYINT, "TINYINT", 3, 0)))
                .isEqualTo(ColumnType.SMALLINT);
        assertThat(MARIA.typeOf(new JdbcColumn(Types.TIMESTAMP, "DATETIME", 26, -1)))
                .isEqualTo(ColumnType.TIMESTAMP);
        assertThat(MARIA.typeOf(new JdbcColumn(Types.TIMESTAMP, "TIMESTAMP", 26, -1)))
                .isEqualTo(ColumnType.TIMESTAMPTZ);
        assertThat(MARIA.typeOf(new JdbcColumn(Types.LONGVARCHAR, "LONGTEXT", 0, -1)))
                .isEqualTo(ColumnType.TEXT);
        assertThat(MARIA.typeOf(new JdbcColumn(Types.VARBINARY, "VARBINARY", 20, -1)))
                .isEqualTo(ColumnType.BYTES);
        assertThat(MARIA.typeOf(new JdbcColumn(Types.FLOAT, "FLOAT", 12, -1)))
                .isEqualTo(ColumnType.REAL);
    }

    @Test
    void rendersEachPortableTypeInEachDialect() {
        assertThat(PG.typeSql(ColumnType.decimal(12, 2), false)).isEqualTo("numeric(12,2)");
        assertThat(MARIA.typeSql(ColumnType.decimal(12, 2), false)).isEqualTo("DECIMAL(12,2)");
        assertThat(MARIA.typeSql(ColumnType.decimal(0, 0), false)).isEqualTo("DECIMAL(65,30)");
        assertThat(MARIA.typeSql(ColumnType.decimal(100, 40), false)).isEqualTo("DECIMAL(65,30)");
        assertThat(PG.typeSql(ColumnType.TIMESTAMPTZ, false)).isEqualTo("timestamptz");
        assertThat(MARIA.typeSql(ColumnType.TIMESTAMPTZ, false)).isEqualTo("DATETIME(6)");
        assertThat(MARIA.typeSql(ColumnType.TEXT, false)).isEqualTo("LONGTEXT");
        assertThat(MARIA.typeSql(ColumnType.TEXT, true)).isEqualTo("VARCHAR(255)");
        assertThat(MARIA.typeSql(ColumnType.varchar(5000), false)).isEqualTo("LONGTEXT");
        assertThat(PG.typeSql(ColumnType.JSON, false)).isEqualTo("jsonb");
        assertThat(MARIA.typeSql(ColumnType.JSON, false)).isEqualTo("JSON");
        assertThat(PG.typeSql(ColumnType.other("inet", "postgres"), false)).isEqualTo("inet");
        assertThat(PG.typeSql(ColumnType.other("_int4", "postgres"), false)).isEqualTo("int4[]");
        assertThat(MARIA.typeSql(ColumnType.other("inet", "postgres"), false))
                .isEqualTo("LONGTEXT");
        assertThat(PG.typeSql(ColumnType.other("geometry", "mariadb"), false)).isEqualTo("text");
        assertThat(PG.typeSql(ColumnType.other("my type\"; drop", "postgres"), false))
                .isEqualTo("\"my type\"\"; drop\"");
        for (ColumnType.Kind k : ColumnType.Kind.values()) {
            ColumnType t =
                    k == ColumnType.Kind.OTHER
                            ? ColumnType.other("x", "postgres")
                            : new ColumnType(k, 0, 0, null, null);
            for (SqlDialect d : List.of(PG, MARIA, GenericDialect.INSTANCE)) {
                assertThat(d.typeSql(t, false)).isNotBlank();
                assertThat(d.typeSql(t, true)).isNotBlank();
            }
        }
    }

    @Test
    void roundTripsThroughTheOtherDialect() {
        // A portable type rendered in one dialect and read back from metadata keeps its kind.
        assertThat(MARIA.typeOf(new JdbcColumn(Types.TIMESTAMP, "DATETIME", 26, -1)))
                .isEqualTo(ColumnType.TIMESTAMP); // TIMESTAMPTZ lands as UTC DATETIME(6)
        assertThat(PG.typeOf(new JdbcColumn(Types.NUMERIC, "numeric", 65, 30)))
                .isEqualTo(ColumnType.decimal(65, 30));
    }

    @Test
    void createTableDdl() {
        TableSchema s =
                new TableSchema(
                        TableName.parse("public.orders"),
                        List.of(
                                new Column("id", ColumnType.BIGINT, false),
                                new Column("name", ColumnType.TEXT, true),
                                new Column("at", ColumnType.TIMESTAMPTZ, true)),
                        List.of("id", "name"));
        assertThat(new TableDdl(PG).createTable(TableName.of("copy"), s))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS \"copy\" (\"id\" bigint NOT NULL, \"name\" text"
                                + " NOT NULL, \"at\" timestamptz, PRIMARY KEY (\"id\", \"name\"))");
        assertThat(new TableDdl(MARIA).createTable(TableName.of("copy"), s))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS `copy` (`id` BIGINT NOT NULL, `name`"
                                + " VARCHAR(255) NOT NULL, `at` DATETIME(6), PRIMARY KEY (`id`,"
                                + " `name`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
                                + " COLLATE=utf8mb4_bin");
        assertThatThrownBy(() -> new TableDdl(PG).createTable(TableName.of("x".repeat(64)), s))
                .hasMessageContaining("longer than the 63");
    }

    @Test
    void dialectLookup() {
        assertThat(SqlDialect.forName("postgres")).isSameAs(PG);
        assertThat(SqlDialect.forName("PostgreSQL")).isSameAs(PG);
        assertThat(SqlDialect.forName("mysql")).isSameAs(MARIA);
        assertThat(SqlDialect.forName("mariadb")).isSameAs(MARIA);
        assertThat(SqlDialect.forName("generic")).isSameAs(GenericDialect.INSTANCE);
        assertThatThrownBy(() -> SqlDialect.forName("oracle"))
                .hasMessageContaining("unknown dialect 'oracle'");
        assertThat(SqlDialect.fromJdbcUrl("jdbc:postgresql://h/db")).isSameAs(PG);
        assertThat(SqlDialect.fromJdbcUrl("jdbc:mariadb://h/db")).isSameAs(MARIA);
        assertThat(SqlDialect.fromJdbcUrl("jdbc:mysql://h/db")).isSameAs(MARIA);
        assertThat(SqlDialect.fromJdbcUrl("jdbc:h2:mem:x")).isSameAs(GenericDialect.INSTANCE);
    }

    @Test
    void tableNames() {
        assertThat(TableName.parse("public.orders")).isEqualTo(new TableName("public", "orders"));
        assertThat(TableName.parse("orders")).isEqualTo(TableName.of("orders"));
        assertThat(TableName.parse("\"my.schema\".\"a\"\"b\""))
                .isEqualTo(new TableName("my.schema", "a\"b"));
        assertThatThrownBy(() -> TableName.parse("a.b.c")).hasMessageContaining("schema.table");
        assertThatThrownBy(() -> TableName.parse("a\u0000b"))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> TableName.parse(" ")).hasMessageContaining("empty");
    }
}
