package io.datafabric.drms.sql;

/** A column name that the introspected table does not have. */
public final class UnknownColumnException extends IllegalArgumentException {
    private final String column;
    private final TableName table;

    public UnknownColumnException(String column, TableName table, java.util.List<String> known) {
        super(
                "unknown column '"
                        + column
                        + "' in table "
                        + table
                        + " (columns: "
                        + String.join(", ", known)
                        + ")");
        this.column = column;
        this.table = table;
    }

    public String column() {
        return column;
    }

    public TableName table() {
        return table;
    }
}
