package io.datafabric.drms.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** PostgreSQL (PgJDBC): double-quoted identifiers, {@code ON CONFLICT} upserts, COPY loads. */
public final class PostgresDialect extends BaseDialect {
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {}

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String quote(String identifier) {
        return Identifiers.quote(identifier, '"');
    }

    @Override
    public int maxIdentifierLength() {
        return 63;
    }

    @Override
    public boolean supportsRowValueComparison() {
        return true;
    }

    @Override
    public ColumnType typeOf(JdbcColumn c) {
        String t = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "int8", "bigserial", "serial8" -> ColumnType.BIGINT;
            case "int4", "serial", "serial4" -> ColumnType.INTEGER;
            case "int2", "smallserial", "serial2" -> ColumnType.SMALLINT;
            case "numeric", "decimal" ->
                    c.size() > 0 && c.size() <= 1000
                            ? ColumnType.decimal(c.size(), Math.max(0, c.digits()))
                            : ColumnType.decimal(0, 0);
            case "float8" -> ColumnType.DOUBLE;
            case "float4" -> ColumnType.REAL;
            case "bool" -> ColumnType.BOOLEAN;
            case "varchar" ->
                    c.size() > 0 && c.size() < 10_485_760
                            ? ColumnType.varchar(c.size())
                            : ColumnType.TEXT;
            case "bpchar" -> ColumnType.fixedChar(Math.max(1, c.size()));
            case "text", "citext", "name" -> ColumnType.TEXT;
            case "date" -> ColumnType.DATE;
            case "time" -> ColumnType.TIME;
            case "timestamp" -> ColumnType.TIMESTAMP;
            case "timestamptz" -> ColumnType.TIMESTAMPTZ;
            case "bytea" -> ColumnType.BYTES;
            case "json", "jsonb" -> ColumnType.JSON;
            case "uuid" -> ColumnType.UUID;
            default -> ColumnType.other(t, name());
        };
    }

    @Override
    public String typeSql(ColumnType type, boolean inKey) {
        return switch (type.kind()) {
            case BIGINT -> "bigint";
            case INTEGER -> "integer";
            case SMALLINT -> "smallint";
            case DECIMAL ->
                    type.length() == 0
                            ? "numeric"
                            : "numeric(" + Math.min(type.length(), 1000) + "," + type.scale() + ")";
            case DOUBLE -> "double precision";
            case REAL -> "real";
            case BOOLEAN -> "boolean";
            case CHAR -> "char(" + Math.max(1, type.length()) + ")";
            case VARCHAR -> type.length() == 0 ? "varchar" : "varchar(" + type.length() + ")";
            case TEXT -> "text";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case BYTES -> "bytea";
            case JSON -> "jsonb";
            case UUID -> "uuid";
            case OTHER -> name().equals(type.nativeDialect()) ? nativeTypeSql(type) : "text";
        };
    }

    /** A PostgreSQL type name from metadata, spelled as DDL (arrays are reported as _elem). */
    private String nativeTypeSql(ColumnType type) {
        String n = type.nativeType();
        if (n.startsWith("_") && n.length() > 1) {
            return safeTypeName(n.substring(1)) + "[]";
        }
        return safeTypeName(n);
    }

    /** Type names from the catalog are emitted as quoted identifiers unless plainly simple. */
    private String safeTypeName(String n) {
        return Identifiers.isSimple(n) ? n : quote(n);
    }

    @Override
    Object readUuid(ResultSet rs, int i) throws SQLException {
        Object o = rs.getObject(i);
        return o == null ? null : o instanceof UUID u ? u : UUID.fromString(o.toString());
    }

    @Override
    Object readInstant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    @Override
    void bindOpaqueText(PreparedStatement ps, int i, String v) throws SQLException {
        // Types.OTHER lets the server cast the text to json/jsonb/inet/... itself.
        ps.setObject(i, v, Types.OTHER);
    }

    @Override
    void bindUuid(PreparedStatement ps, int i, UUID v) throws SQLException {
        ps.setObject(i, v);
    }

    @Override
    int sqlType(ColumnType type) {
        return switch (type.kind()) {
            case JSON, OTHER, UUID -> Types.OTHER;
            default -> super.sqlType(type);
        };
    }

    @Override
    public Optional<String> upsertSql(
            TableName table, List<String> columns, List<String> key, int rows) {
        checkUpsertArgs(columns, key, rows);
        return Optional.of(
                "INSERT INTO "
                        + qualify(table)
                        + " ("
                        + columnList(columns)
                        + ") VALUES "
                        + valuesList(columns.size(), rows)
                        + onConflict(columns, key));
    }

    /** {@code ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c, ...} (or DO NOTHING). */
    public String onConflict(List<String> columns, List<String> key) {
        StringBuilder set = new StringBuilder();
        for (String c : columns) {
            if (!key.contains(c)) {
                set.append(set.length() == 0 ? "" : ", ")
                        .append(quote(c))
                        .append(" = EXCLUDED.")
                        .append(quote(c));
            }
        }
        return " ON CONFLICT ("
                + columnList(key)
                + ")"
                + (set.length() == 0 ? " DO NOTHING" : " DO UPDATE SET " + set);
    }

    @Override
    public List<String> sessionInitSql() {
        return List.of("SET TIME ZONE 'UTC'");
    }

    @Override
    public MetadataScope metadataScope(Connection connection, TableName table) throws SQLException {
        String schema = table.schema() != null ? table.schema() : connection.getSchema();
        return new MetadataScope(null, schema == null ? "public" : schema);
    }
}
