package io.datafabric.drms.sql;

import java.util.Objects;

/** One column of a table: its exact name in the database, portable type and nullability. */
public record Column(String name, ColumnType type, boolean nullable) {
    public Column {
        Identifiers.check(name, "column name");
        Objects.requireNonNull(type, "type");
    }
}
