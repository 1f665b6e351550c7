package io.datafabric.drms.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Any other JDBC database: ANSI double quotes, expanded keyset predicates, {@code FETCH FIRST}
 * paging, types from {@link java.sql.Types}. Has no upsert: the loader deletes and re-inserts the
 * keys of a batch in the same transaction.
 */
public final class GenericDialect extends BaseDialect {
    public static final GenericDialect INSTANCE = new GenericDialect();

    private GenericDialect() {}

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String quote(String identifier) {
        return Identifiers.quote(identifier, '"');
    }

    @Override
    public int maxIdentifierLength() {
        return 128;
    }

    @Override
    public boolean supportsRowValueComparison() {
        return false;
    }

    @Override
    public ColumnType typeOf(JdbcColumn column) {
        return fromJdbcType(column, name());
    }

    @Override
    public String typeSql(ColumnType type, boolean inKey) {
        return switch (type.kind()) {
            case BIGINT -> "BIGINT";
            case INTEGER -> "INTEGER";
            case SMALLINT -> "SMALLINT";
            case DECIMAL -> decimalSql(type, "DECIMAL(38,10)", 38, 38);
            case DOUBLE -> "DOUBLE PRECISION";
            case REAL -> "REAL";
            case BOOLEAN -> "BOOLEAN";
            case CHAR -> "CHAR(" + Math.max(1, type.length()) + ")";
            case VARCHAR -> "VARCHAR(" + (type.length() == 0 ? 4000 : type.length()) + ")";
            case TEXT, JSON, OTHER -> inKey ? "VARCHAR(255)" : "VARCHAR(4000)";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
            case BYTES -> "VARBINARY(4000)";
            case UUID -> "CHAR(36)";
        };
    }

    @Override
    public Object read(java.sql.ResultSet rs, int i, ColumnType type) throws SQLException {
        if (type.kind() == ColumnType.Kind.TIMESTAMP) {
            // Not every driver converts to java.time; Timestamp is the JDBC 1 common ground.
            java.sql.Timestamp t = rs.getTimestamp(i);
            return t == null ? null : t.toLocalDateTime();
        }
        return super.read(rs, i, type);
    }

    @Override
    public String limitClause(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + rows);
        }
        return " FETCH FIRST " + rows + " ROWS ONLY";
    }

    @Override
    public MetadataScope metadataScope(Connection connection, TableName table) throws SQLException {
        String schema = table.schema();
        if (schema == null) {
            try {
                schema = connection.getSchema();
            } catch (SQLException | AbstractMethodError e) {
                schema = null;
            }
        }
        return new MetadataScope(connection.getCatalog(), schema);
    }
}
