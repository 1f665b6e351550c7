package io.datafabric.drms.sql;

/**
 * A column as {@link java.sql.DatabaseMetaData#getColumns} describes it: the input of {@link
 * SqlDialect#typeOf(JdbcColumn)}.
 *
 * @param jdbcType {@code DATA_TYPE}, a {@link java.sql.Types} code
 * @param typeName {@code TYPE_NAME} as the driver spells it
 * @param size {@code COLUMN_SIZE}
 * @param digits {@code DECIMAL_DIGITS}, or -1 when the driver reports NULL
 */
public record JdbcColumn(int jdbcType, String typeName, int size, int digits) {}
