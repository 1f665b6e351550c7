package io.datafabric.drms.sql;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reading and binding shared by the dialects; each overrides where its driver differs. */
abstract class BaseDialect implements SqlDialect {

    @Override
    public String limitClause(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + rows);
        }
        return " LIMIT " + rows;
    }

    @Override
    public Object read(ResultSet rs, int i, ColumnType type) throws SQLException {
        Object v =
                switch (type.kind()) {
                    case BIGINT -> {
                        long l = rs.getLong(i);
                        yield rs.wasNull() ? null : l;
                    }
                    case INTEGER, SMALLINT -> {
                        int n = rs.getInt(i);
                        yield rs.wasNull() ? null : n;
                    }
                    case DECIMAL -> rs.getBigDecimal(i);
                    case DOUBLE -> {
                        double d = rs.getDouble(i);
                        yield rs.wasNull() ? null : d;
                    }
                    case REAL -> {
                        float f = rs.getFloat(i);
                        yield rs.wasNull() ? null : f;
                    }
                    case BOOLEAN -> {
                        boolean b = rs.getBoolean(i);
                        yield rs.wasNull() ? null : b;
                    }
                    case CHAR, VARCHAR, TEXT, JSON, OTHER -> rs.getString(i);
                    case UUID -> readUuid(rs, i);
                    case DATE -> rs.getObject(i, LocalDate.class);
                    case TIME -> rs.getObject(i, LocalTime.class);
                    case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
                    case TIMESTAMPTZ -> readInstant(rs, i);
                    case BYTES -> rs.getBytes(i);
                };
        return v;
    }

    Object readUuid(ResultSet rs, int i) throws SQLException {
        String s = rs.getString(i);
        return s == null ? null : UUID.fromString(s.trim());
    }

    Object readInstant(ResultSet rs, int i) throws SQLException {
        java.sql.Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
    }

    @Override
    public void bind(PreparedStatement ps, int i, ColumnType type, Object raw) throws SQLException {
        Object v = Values.coerce(raw, type);
        if (v == null) {
            ps.setNull(i, sqlType(type));
            return;
        }
        switch (type.kind()) {
            case BIGINT -> ps.setLong(i, (Long) v);
            case INTEGER, SMALLINT -> ps.setInt(i, (Integer) v);
            case DECIMAL -> ps.setBigDecimal(i, (BigDecimal) v);
            case DOUBLE -> ps.setDouble(i, (Double) v);
            case REAL -> ps.setFloat(i, (Float) v);
            case BOOLEAN -> ps.setBoolean(i, (Boolean) v);
            case CHAR, VARCHAR, TEXT -> ps.setString(i, (String) v);
            case JSON, OTHER -> bindOpaqueText(ps, i, (String) v);
            case UUID -> bindUuid(ps, i, (UUID) v);
            case DATE, TIME, TIMESTAMP -> ps.setObject(i, v);
            case TIMESTAMPTZ -> bindInstant(ps, i, (OffsetDateTime) v);
            case BYTES -> ps.setBytes(i, (byte[]) v);
        }
    }

    void bindOpaqueText(PreparedStatement ps, int i, String v) throws SQLException {
        ps.setString(i, v);
    }

    void bindUuid(PreparedStatement ps, int i, UUID v) throws SQLException {
        ps.setString(i, v.toString());
    }

    void bindInstant(PreparedStatement ps, int i, OffsetDateTime v) throws SQLException {
        ps.setObject(i, v);
    }

    int sqlType(ColumnType type) {
        return switch (type.kind()) {
            case BIGINT -> Types.BIGINT;
            case INTEGER -> Types.INTEGER;
            case SMALLINT -> Types.SMALLINT;
            case DECIMAL -> Types.DECIMAL;
            case DOUBLE -> Types.DOUBLE;
            case REAL -> Types.REAL;
            case BOOLEAN -> Types.BOOLEAN;
            case CHAR -> Types.CHAR;
            case VARCHAR, TEXT, JSON, OTHER, UUID -> Types.VARCHAR;
            case DATE -> Types.DATE;
            case TIME -> Types.TIME;
            case TIMESTAMP -> Types.TIMESTAMP;
            case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
            case BYTES -> Types.VARBINARY;
        };
    }

    /** The portable type for a java.sql.Types code: the fallback every dialect starts from. */
    static ColumnType fromJdbcType(JdbcColumn c, String dialect) {
        return switch (c.jdbcType()) {
            case Types.BIGINT -> ColumnType.BIGINT;
            case Types.INTEGER -> ColumnType.INTEGER;
            case Types.SMALLINT, Types.TINYINT -> ColumnType.SMALLINT;
            case Types.DECIMAL, Types.NUMERIC ->
                    c.size() > 0 && c.size() <= 1000
                            ? ColumnType.decimal(c.size(), Math.max(0, c.digits()))
                            : ColumnType.decimal(0, 0);
            case Types.DOUBLE, Types.FLOAT -> ColumnType.DOUBLE;
            case Types.REAL -> ColumnType.REAL;
            case Types.BOOLEAN, Types.BIT -> ColumnType.BOOLEAN;
            case Types.CHAR, Types.NCHAR -> ColumnType.fixedChar(Math.max(0, c.size()));
            case Types.VARCHAR, Types.NVARCHAR ->
                    c.size() > 0 && c.size() < 65_535
                            ? ColumnType.varchar(c.size())
                            : ColumnType.TEXT;
            case Types.LONGVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB -> ColumnType.TEXT;
            case Types.DATE -> ColumnType.DATE;
            case Types.TIME -> ColumnType.TIME;
            case Types.TIMESTAMP ->
                    zoned(c.typeName()) ? ColumnType.TIMESTAMPTZ : ColumnType.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> ColumnType.TIMESTAMPTZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> ColumnType.BYTES;
            default -> ColumnType.other(c.typeName() == null ? "unknown" : c.typeName(), dialect);
        };
    }

    /** Drivers report zoned timestamps as Types.TIMESTAMP with a telling type name. */
    private static boolean zoned(String typeName) {
        String t = typeName == null ? "" : typeName.toLowerCase(java.util.Locale.ROOT);
        return t.contains("time zone") || t.contains("timestamptz") || t.contains("tz");
    }

    /** DECIMAL DDL clamped to what the dialect accepts. */
    static String decimalSql(ColumnType t, String unconstrained, int maxPrecision, int maxScale) {
        if (t.length() == 0) {
            return unconstrained;
        }
        int p = Math.min(t.length(), maxPrecision);
        int s = Math.min(t.scale(), Math.min(maxScale, p));
        return "DECIMAL(" + p + "," + s + ")";
    }

    @Override
    public Optional<String> upsertSql(
            TableName table, List<String> columns, List<String> key, int rows) {
        return Optional.empty();
    }

    /** {@code (?, ?, ?), (?, ?, ?)} for {@code rows} rows of {@code width} columns. */
    static String valuesList(int width, int rows) {
        StringBuilder one = new StringBuilder("(");
        for (int c = 0; c < width; c++) {
            one.append(c == 0 ? "?" : ", ?");
        }
        one.append(')');
        StringBuilder sb = new StringBuilder(rows * (one.length() + 2));
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                sb.append(", ");
            }
            sb.append(one);
        }
        return sb.toString();
    }

    String columnList(List<String> columns) {
        StringBuilder sb = new StringBuilder();
        for (String c : columns) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(quote(c));
        }
        return sb.toString();
    }

    static void checkUpsertArgs(List<String> columns, List<String> key, int rows) {
        if (columns.isEmpty() || key.isEmpty() || rows <= 0) {
            throw new IllegalArgumentException("upsert needs columns, a key and at least one row");
        }
        if (!columns.containsAll(key)) {
            throw new IllegalArgumentException("upsert columns " + columns + " lack key " + key);
        }
    }
}
