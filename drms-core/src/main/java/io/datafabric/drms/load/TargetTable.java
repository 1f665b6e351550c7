package io.datafabric.drms.load;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.TableSchema;
import java.util.List;
import java.util.Objects;

/**
 * A target as the loaders see it: the permanent table restricted to the slice's columns (target
 * spellings, slice order; rows are {@code Object[]} in this order) and, when staging is on, its
 * {@code <table>__inc} table.
 *
 * @param table target table projected to the loaded columns, with its primary key
 * @param increments the staging table, or null when increments are not kept
 */
public record TargetTable(TableSchema table, TableSchema increments) {

    public TargetTable {
        Objects.requireNonNull(table, "table");
        if (!table.hasPrimaryKey()) {
            throw new IllegalArgumentException(
                    "target table " + table.table() + " has no primary key; upserts need one");
        }
    }

    public List<String> columnNames() {
        return table.columnNames();
    }

    public List<Column> columns() {
        return table.columns();
    }

    /** Positions of the primary key columns within a row. */
    public int[] keyIndexes() {
        List<String> key = table.primaryKey();
        int[] idx = new int[key.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = table.indexOf(key.get(i));
        }
        return idx;
    }

    /** The key of a row, in primary key order. */
    public Object[] keyOf(Object[] row) {
        int[] idx = keyIndexes();
        Object[] key = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            key[i] = row[idx[i]];
        }
        return key;
    }

    public boolean staged() {
        return increments != null;
    }
}
