package io.datafabric.drms.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What differs between databases: quoting, types, value binding, upsert and paging syntax. One
 * immutable instance per dialect: {@link #forName(String)} or {@link #fromJdbcUrl(String)}.
 */
public interface SqlDialect {

    /** The canonical dialect name: {@code postgres}, {@code mariadb} or {@code generic}. */
    String name();

    /**
     * The dialect for a name as written in a graph file: {@code postgres} / {@code postgresql} /
     * {@code pg}, {@code mariadb} / {@code mysql}, {@code generic}.
     */
    static SqlDialect forName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("dialect name must not be null");
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql", "pg" -> PostgresDialect.INSTANCE;
            case "mariadb", "mysql" -> MariaDbDialect.INSTANCE;
            case "generic", "jdbc" -> GenericDialect.INSTANCE;
            default ->
                    throw new IllegalArgumentException(
                            "unknown dialect '"
                                    + name
                                    + "' (known: postgres, mariadb, mysql, generic)");
        };
    }

    /** The dialect a JDBC url speaks; {@code generic} for drivers this module does not know. */
    static SqlDialect fromJdbcUrl(String url) {
        if (url == null) {
            throw new IllegalArgumentException("JDBC url must not be null");
        }
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return PostgresDialect.INSTANCE;
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return MariaDbDialect.INSTANCE;
        }
        return GenericDialect.INSTANCE;
    }

    /** The identifier in this dialect's quotes, inner quotes doubled: safe for any name. */
    String quote(String identifier);

    /** {@code "schema"."table"} (or just the table when the schema is the default). */
    default String qualify(TableName table) {
        return table.schema() == null
                ? quote(table.name())
                : quote(table.schema()) + "." + quote(table.name());
    }

    /** Longest identifier the database keeps without truncating. */
    int maxIdentifierLength();

    /** Whether {@code (a, b) > (?, ?)} is evaluated (and indexed) as a row comparison. */
    boolean supportsRowValueComparison();

    /** Whether {@code (a, b) IN ((?, ?), ...)} is supported. */
    default boolean supportsRowValueIn() {
        return supportsRowValueComparison();
    }

    /** The portable type of a column described by JDBC metadata. */
    ColumnType typeOf(JdbcColumn column);

    /**
     * The column type as DDL of this dialect. {@code inKey} is true for primary key columns, where
     * some databases need bounded types (MariaDB cannot index unbounded TEXT).
     */
    String typeSql(ColumnType type, boolean inKey);

    /** Reads column {@code index} as the Java class of {@code type} (see {@link Values}). */
    Object read(ResultSet rs, int index, ColumnType type) throws SQLException;

    /** Binds {@code value} (coerced to {@code type} first) as parameter {@code index}. */
    void bind(PreparedStatement ps, int index, ColumnType type, Object value) throws SQLException;

    /** The clause that limits a result to {@code rows} rows, with a leading space. */
    String limitClause(int rows);

    /**
     * A multi-row upsert {@code INSERT ... VALUES (?, ..), (?, ..) ...} that inserts new keys and
     * overwrites the other columns of existing ones; empty when the dialect has no upsert (the
     * loader then deletes and inserts).
     */
    Optional<String> upsertSql(TableName table, List<String> columns, List<String> key, int rows);

    /** Text appended to CREATE TABLE (MariaDB: engine and binary utf8mb4 collation). */
    default String createTableOptions() {
        return "";
    }

    /** Statements run on every new connection (session time zone UTC). */
    default List<String> sessionInitSql() {
        return List.of();
    }

    /** Where {@link java.sql.DatabaseMetaData} looks for {@code table}: catalog and schema. */
    MetadataScope metadataScope(Connection connection, TableName table) throws SQLException;

    /** Catalog and schema arguments for {@link java.sql.DatabaseMetaData} calls. */
    record MetadataScope(String catalog, String schema) {}
}
