package io.datafabric.drms.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a table looks like: its columns (exact names, portable types, nullability) in table order
 * and its primary key columns in key order. Obtained from {@link SchemaIntrospector}; every
 * identifier the query builder renders comes from here.
 */
public record TableSchema(TableName table, List<Column> columns, List<String> primaryKey) {

    public TableSchema {
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + table + " has no columns");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Column c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(
                        "duplicate column " + c.name() + " in table " + table);
            }
        }
        for (String k : primaryKey) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException(
                        "primary key column " + k + " is not a column of " + table);
            }
        }
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * The column named {@code name}: an exact match first, else the single column whose name
     * matches ignoring case (databases fold unquoted names differently). Throws {@link
     * UnknownColumnException} naming the column and the table otherwise.
     */
    public Column column(String name) {
        if (name == null) {
            throw new IllegalArgumentException(
                    "column name must not be null (table " + table + ")");
        }
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        Column found = null;
        for (Column c : columns) {
            if (c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                if (found != null) {
                    throw new IllegalArgumentException(
                            "column name '"
                                    + name
                                    + "' is ambiguous in "
                                    + table
                                    + ": "
                                    + found.name()
                                    + " and "
                                    + c.name()
                                    + " differ only in case");
                }
                found = c;
            }
        }
        if (found == null) {
            throw new UnknownColumnException(name, table, columnNames());
        }
        return found;
    }

    public boolean hasColumn(String name) {
        try {
            column(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The columns named, resolved against this table, in the order given. */
    public List<Column> columns(List<String> names) {
        List<Column> out = new ArrayList<>(names.size());
        Set<String> seen = new LinkedHashSet<>();
        for (String n : names) {
            Column c = column(n);
            if (!seen.add(c.name())) {
                throw new IllegalArgumentException(
                        "column " + c.name() + " listed twice for table " + table);
            }
            out.add(c);
        }
        return out;
    }

    public List<Column> primaryKeyColumns() {
        return primaryKey.stream().map(this::column).toList();
    }

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    /** Position of the column in {@link #columns()}. */
    public int indexOf(String name) {
        String exact = column(name).name();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(exact)) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * A projection of this table: the named columns in that order, keeping the primary key. Every
     * primary key column must be among them, because a target's key is its source's key.
     */
    public TableSchema project(List<String> names) {
        List<Column> cols = columns(names);
        List<String> exact = cols.stream().map(Column::name).toList();
        for (String k : primaryKey) {
            if (!exact.contains(k)) {
                throw new IllegalArgumentException(
                        "the columns of a slice of "
                                + table
                                + " must include its primary key column "
                                + k
                                + " (columns: "
                                + String.join(", ", exact)
                                + ")");
            }
        }
        return new TableSchema(table, cols, primaryKey);
    }

    /** The same columns and key under another table name. */
    public TableSchema renamed(TableName name) {
        return new TableSchema(name, columns, primaryKey);
    }

    /** The same table with the given key (for views or tables without a declared key). */
    public TableSchema withPrimaryKey(List<String> key) {
        return new TableSchema(table, columns, key.stream().map(k -> column(k).name()).toList());
    }
}
