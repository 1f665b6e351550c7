package io.datafabric.drms.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** CREATE TABLE statements for a dialect, from portable column definitions. */
public final class TableDdl {
    private final SqlDialect dialect;

    public TableDdl(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS} for {@code schema} renamed to {@code table}: the same
     * columns (types rendered for this dialect, nullability kept, key columns NOT NULL) and primary
     * key.
     */
    public String createTable(TableName table, List<Column> columns, List<String> primaryKey) {
        checkName(table.name());
        StringBuilder sb = new StringBuilder("CREATE TABLE ");
        sb.append(ifNotExists()).append(dialect.qualify(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            checkName(c.name());
            boolean inKey = primaryKey.contains(c.name());
            sb.append(i == 0 ? "" : ", ")
                    .append(dialect.quote(c.name()))
                    .append(' ')
                    .append(dialect.typeSql(c.type(), inKey))
                    .append(inKey || !c.nullable() ? " NOT NULL" : "");
        }
        if (!primaryKey.isEmpty()) {
            sb.append(", PRIMARY KEY (");
            for (int i = 0; i < primaryKey.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(dialect.quote(primaryKey.get(i)));
            }
            sb.append(')');
        }
        return sb.append(')').append(dialect.createTableOptions()).toString();
    }

    /** {@link #createTable} for a schema (its own columns and key). */
    public String createTable(TableName table, TableSchema schema) {
        return createTable(table, schema.columns(), schema.primaryKey());
    }

    /** {@code CREATE INDEX} on {@code columns} of {@code table}, skipped when it exists. */
    public String createIndex(String indexName, TableName table, List<String> columns) {
        checkName(indexName);
        List<String> quoted = new ArrayList<>();
        for (String c : columns) {
            quoted.add(dialect.quote(c));
        }
        return "CREATE INDEX "
                + ifNotExists()
                + dialect.quote(indexName)
                + " ON "
                + dialect.qualify(table)
                + " ("
                + String.join(", ", quoted)
                + ")";
    }

    private String ifNotExists() {
        return dialect instanceof GenericDialect ? "" : "IF NOT EXISTS ";
    }

    /** Rejects names the database would silently truncate (PostgreSQL counts bytes). */
    public void checkName(String name) {
        int length =
                dialect instanceof PostgresDialect
                        ? name.getBytes(StandardCharsets.UTF_8).length
                        : name.length();
        if (length > dialect.maxIdentifierLength()) {
            throw new IllegalArgumentException(
                    "name '"
                            + name
                            + "' is longer than the "
                            + dialect.maxIdentifierLength()
                            + " characters "
                            + dialect.name()
                            + " allows");
        }
    }
}
