package io.datafabric.drms.sql;

import java.util.Locale;
import java.util.Objects;

/**
 * A portable column type: what a column holds, independent of the database it lives in. Each {@link
 * SqlDialect} maps its JDBC metadata to this model and renders it back as DDL.
 *
 * @param kind the family of the type
 * @param length precision for {@link Kind#DECIMAL} (0 = unconstrained), maximum length for {@link
 *     Kind#CHAR} and {@link Kind#VARCHAR} (0 = unbounded); 0 otherwise
 * @param scale digits after the decimal point for {@link Kind#DECIMAL}; 0 otherwise
 * @param nativeType for {@link Kind#OTHER}: the type name as the source database spells it (e.g.
 *     {@code inet}); null otherwise
 * @param nativeDialect for {@link Kind#OTHER}: the dialect {@code nativeType} belongs to
 */
public record ColumnType(
        Kind kind, int length, int scale, String nativeType, String nativeDialect) {

    /** Families of portable types. */
    public enum Kind {
        BIGINT,
        INTEGER,
        SMALLINT,
        DECIMAL,
        DOUBLE,
        REAL,
        BOOLEAN,
        CHAR,
        VARCHAR,
        TEXT,
        DATE,
        TIME,
        /** Date and time without a zone; replicas treat it as UTC wall-clock time. */
        TIMESTAMP,
        /** An instant; carried as an OffsetDateTime in UTC. */
        TIMESTAMPTZ,
        BYTES,
        JSON,
        UUID,
        /** A database-specific type carried as text (kept verbatim between the same dialect). */
        OTHER
    }

    public static final ColumnType BIGINT = of(Kind.BIGINT);
    public static final ColumnType INTEGER = of(Kind.INTEGER);
    public static final ColumnType SMALLINT = of(Kind.SMALLINT);
    public static final ColumnType DOUBLE = of(Kind.DOUBLE);
    public static final ColumnType REAL = of(Kind.REAL);
    public static final ColumnType BOOLEAN = of(Kind.BOOLEAN);
    public static final ColumnType TEXT = of(Kind.TEXT);
    public static final ColumnType DATE = of(Kind.DATE);
    public static final ColumnType TIME = of(Kind.TIME);
    public static final ColumnType TIMESTAMP = of(Kind.TIMESTAMP);
    public static final ColumnType TIMESTAMPTZ = of(Kind.TIMESTAMPTZ);
    public static final ColumnType BYTES = of(Kind.BYTES);
    public static final ColumnType JSON = of(Kind.JSON);
    public static final ColumnType UUID = of(Kind.UUID);

    public ColumnType {
        Objects.requireNonNull(kind, "kind");
        if (length < 0 || scale < 0) {
            throw new IllegalArgumentException("negative length/scale in " + kind);
        }
        if (kind == Kind.DECIMAL && length > 0 && scale > length) {
            throw new IllegalArgumentException(
                    "DECIMAL scale " + scale + " exceeds precision " + length);
        }
        if (kind == Kind.OTHER && (nativeType == null || nativeType.isBlank())) {
            throw new IllegalArgumentException("OTHER needs the native type name");
        }
        if (kind != Kind.OTHER) {
            nativeType = null;
            nativeDialect = null;
        }
    }

    private static ColumnType of(Kind kind) {
        return new ColumnType(kind, 0, 0, null, null);
    }

    public static ColumnType decimal(int precision, int scale) {
        return new ColumnType(Kind.DECIMAL, precision, scale, null, null);
    }

    public static ColumnType varchar(int length) {
        return new ColumnType(Kind.VARCHAR, length, 0, null, null);
    }

    public static ColumnType fixedChar(int length) {
        return new ColumnType(Kind.CHAR, length, 0, null, null);
    }

    public static ColumnType other(String nativeType, String dialect) {
        return new ColumnType(Kind.OTHER, 0, 0, nativeType, dialect);
    }

    public boolean isInteger() {
        return kind == Kind.BIGINT || kind == Kind.INTEGER || kind == Kind.SMALLINT;
    }

    public boolean isNumeric() {
        return isInteger() || kind == Kind.DECIMAL || kind == Kind.DOUBLE || kind == Kind.REAL;
    }

    public boolean isTemporal() {
        return kind == Kind.DATE
                || kind == Kind.TIME
                || kind == Kind.TIMESTAMP
                || kind == Kind.TIMESTAMPTZ;
    }

    public boolean isText() {
        return kind == Kind.CHAR || kind == Kind.VARCHAR || kind == Kind.TEXT;
    }

    /**
     * True when every database sorts values of this type the same way (numbers, dates, times), so
     * an ORDER BY on two different databases yields the same sequence.
     */
    public boolean hasPortableOrder() {
        return isNumeric() || isTemporal() || kind == Kind.BOOLEAN;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DECIMAL -> length == 0 ? "DECIMAL" : "DECIMAL(" + length + "," + scale + ")";
            case CHAR, VARCHAR -> length == 0 ? kind.name() : kind.name() + "(" + length + ")";
            case OTHER ->
                    "OTHER(" + nativeDialect + ":" + nativeType.toLowerCase(Locale.ROOT) + ")";
            default -> kind.name();
        };
    }
}
