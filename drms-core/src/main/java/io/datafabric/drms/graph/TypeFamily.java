package io.datafabric.drms.graph;

import java.sql.Types;

/**
 * The kind of values a column holds, coarse enough to compare PostgreSQL and MariaDB columns: a
 * {@code bigint} and an {@code int(11)} are both {@link #INTEGER}.
 */
public enum TypeFamily {
    INTEGER,
    DECIMAL,
    FLOAT,
    TEXT,
    BOOLEAN,
    DATE,
    TIME,
    TIMESTAMP,
    BINARY,
    OTHER;

    /** The family of a {@link java.sql.Types} code. */
    public static TypeFamily ofJdbcType(int jdbcType) {
        switch (jdbcType) {
            case Types.TINYINT:
            case Types.SMALLINT:
            case Types.INTEGER:
            case Types.BIGINT:
                return INTEGER;
            case Types.DECIMAL:
            case Types.NUMERIC:
                return DECIMAL;
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
                return FLOAT;
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.NCHAR:
            case Types.NVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.CLOB:
            case Types.NCLOB:
                return TEXT;
            case Types.BIT:
            case Types.BOOLEAN:
                return BOOLEAN;
            case Types.DATE:
                return DATE;
            case Types.TIME:
            case Types.TIME_WITH_TIMEZONE:
                return TIME;
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return TIMESTAMP;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return BINARY;
            default:
                return OTHER;
        }
    }

    /** Whether values of {@code source} fit a target column of this family without loss of kind. */
    public boolean accepts(TypeFamily source) {
        if (this == source || this == OTHER || this == TEXT && source == OTHER) {
            return true;
        }
        switch (this) {
            case DECIMAL:
                return source == INTEGER;
            case FLOAT:
                return source == INTEGER || source == DECIMAL;
            case INTEGER:
                // MariaDB reports BOOLEAN columns as TINYINT(1).
                return source == BOOLEAN;
            case BOOLEAN:
                return source == INTEGER;
            case TIMESTAMP:
                return source == DATE;
            default:
                return false;
        }
    }

    public boolean numeric() {
        return this == INTEGER || this == DECIMAL || this == FLOAT;
    }
}
