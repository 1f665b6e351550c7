package io.datafabric.drms.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * MariaDB and MySQL: back-quoted identifiers, {@code ON DUPLICATE KEY UPDATE} upserts. Instants are
 * stored as {@code DATETIME(6)} in UTC; connections run with {@code time_zone = '+00:00'} so that
 * MariaDB's own TIMESTAMP columns read as UTC too.
 */
public final class MariaDbDialect extends BaseDialect {
    public static final MariaDbDialect INSTANCE = new MariaDbDialect();

    /** Length of unbounded text used in a primary key (InnoDB indexes at most 3072 bytes). */
    static final int KEY_TEXT_LENGTH = 255;

    private MariaDbDialect() {}

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public String quote(String identifier) {
        return Identifiers.quote(identifier, '`');
    }

    @Override
    public int maxIdentifierLength() {
        return 64;
    }

    @Override
    public boolean supportsRowValueComparison() {
        // Row constructors compare correctly but the range optimizer does not always use an
        // index for them; the expanded OR form is planned as index ranges.
        return false;
    }

    @Override
    public boolean supportsRowValueIn() {
        return true;
    }

    @Override
    public ColumnType typeOf(JdbcColumn c) {
        String t = c.typeName() == null ? "" : c.typeName().toUpperCase(Locale.ROOT);
        boolean unsigned = t.endsWith(" UNSIGNED");
        String base = unsigned ? t.substring(0, t.length() - " UNSIGNED".length()) : t;
        return switch (base) {
            case "BIGINT" -> unsigned ? ColumnType.decimal(20, 0) : ColumnType.BIGINT;
            case "INT", "INTEGER" -> unsigned ? ColumnType.BIGINT : ColumnType.INTEGER;
            case "MEDIUMINT" -> ColumnType.INTEGER;
            case "SMALLINT" -> unsigned ? ColumnType.INTEGER : ColumnType.SMALLINT;
            case "TINYINT" -> c.size() == 1 ? ColumnType.BOOLEAN : ColumnType.SMALLINT;
            case "BOOLEAN", "BOOL" -> ColumnType.BOOLEAN;
            case "BIT" -> c.size() <= 1 ? ColumnType.BOOLEAN : ColumnType.BYTES;
            case "DECIMAL", "NUMERIC" -> ColumnType.decimal(c.size(), Math.max(0, c.digits()));
            case "DOUBLE", "DOUBLE PRECISION", "REAL" -> ColumnType.DOUBLE;
            case "FLOAT" -> ColumnType.REAL;
            case "CHAR" -> ColumnType.fixedChar(Math.max(1, c.size()));
            case "VARCHAR" -> ColumnType.varchar(c.size());
            case "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT" -> ColumnType.TEXT;
            case "JSON" -> ColumnType.JSON;
            case "ENUM", "SET" -> ColumnType.varchar(Math.max(1, c.size()));
            case "DATE" -> ColumnType.DATE;
            case "TIME" -> ColumnType.TIME;
            case "DATETIME" -> ColumnType.TIMESTAMP;
            case "TIMESTAMP" -> ColumnType.TIMESTAMPTZ;
            case "YEAR" -> ColumnType.SMALLINT;
            case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" ->
                    ColumnType.BYTES;
            case "UUID" -> ColumnType.UUID;
            default -> ColumnType.other(t.toLowerCase(Locale.ROOT), name());
        };
    }

    @Override
    public String typeSql(ColumnType type, boolean inKey) {
        return switch (type.kind()) {
            case BIGINT -> "BIGINT";
            case INTEGER -> "INT";
            case SMALLINT -> "SMALLINT";
            case DECIMAL -> decimalSql(type, "DECIMAL(65,30)", 65, 30);
            case DOUBLE -> "DOUBLE";
            case REAL -> "FLOAT";
            case BOOLEAN -> "BOOLEAN";
            case CHAR -> "CHAR(" + Math.min(255, Math.max(1, type.length())) + ")";
            case VARCHAR ->
                    type.length() > 0 && type.length() <= 1024
                            ? "VARCHAR(" + type.length() + ")"
                            : inKey ? "VARCHAR(" + KEY_TEXT_LENGTH + ")" : "LONGTEXT";
            case TEXT, OTHER -> inKey ? "VARCHAR(" + KEY_TEXT_LENGTH + ")" : "LONGTEXT";
            case JSON -> inKey ? "VARCHAR(" + KEY_TEXT_LENGTH + ")" : "JSON";
            case DATE -> "DATE";
            case TIME -> "TIME(6)";
            case TIMESTAMP, TIMESTAMPTZ -> "DATETIME(6)";
            case BYTES -> inKey ? "VARBINARY(" + KEY_TEXT_LENGTH + ")" : "LONGBLOB";
            case UUID -> "CHAR(36)";
        };
    }

    @Override
    Object readInstant(ResultSet rs, int i) throws SQLException {
        // Sessions run in UTC (sessionInitSql), so the wall-clock value is the UTC time.
        LocalDateTime t = rs.getObject(i, LocalDateTime.class);
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    @Override
    void bindInstant(PreparedStatement ps, int i, OffsetDateTime v) throws SQLException {
        ps.setObject(i, v.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }

    @Override
    int sqlType(ColumnType type) {
        return type.kind() == ColumnType.Kind.TIMESTAMPTZ ? Types.TIMESTAMP : super.sqlType(type);
    }

    @Override
    public Optional<String> upsertSql(
            TableName table, List<String> columns, List<String> key, int rows) {
        checkUpsertArgs(columns, key, rows);
        StringBuilder set = new StringBuilder();
        for (String c : columns) {
            if (!key.contains(c)) {
                set.append(set.length() == 0 ? "" : ", ")
                        .append(quote(c))
                        .append(" = VALUES(")
                        .append(quote(c))
                        .append(')');
            }
        }
        if (set.length() == 0) {
            // Only key columns: re-assigning the first key column to itself makes it a no-op.
            set.append(quote(key.get(0))).append(" = ").append(quote(key.get(0)));
        }
        return Optional.of(
                "INSERT INTO "
                        + qualify(table)
                        + " ("
                        + columnList(columns)
                        + ") VALUES "
                        + valuesList(columns.size(), rows)
                        + " ON DUPLICATE KEY UPDATE "
                        + set);
    }

    @Override
    public String createTableOptions() {
        // A binary collation keeps string keys distinct exactly as PostgreSQL does ('a' <> 'A').
        return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    @Override
    public List<String> sessionInitSql() {
        return List.of("SET time_zone = '+00:00'");
    }

    @Override
    public MetadataScope metadataScope(Connection connection, TableName table) throws SQLException {
        return new MetadataScope(
                table.schema() != null ? table.schema() : connection.getCatalog(), null);
    }
}
