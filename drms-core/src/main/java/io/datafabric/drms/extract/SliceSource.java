package io.datafabric.drms.extract;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.TableSchema;
import java.util.List;
import java.util.Objects;

/**
 * A slice of a source table: which rows (filter, minus soft-deleted rows) and which columns.
 *
 * @param database where the table lives
 * @param table the whole source table as introspected (with its primary key)
 * @param columns the slice's columns (exact names, include the primary key)
 * @param filter rows belonging to the slice
 * @param softDelete rows that are deleted although still present (e.g. {@code deleted = true}), or
 *     null when the source deletes rows for real
 */
public record SliceSource(
        Database database,
        TableSchema table,
        List<String> columns,
        Filter filter,
        Filter softDelete) {

    public SliceSource {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        filter = filter == null ? Filter.none() : filter;
        if (!table.hasPrimaryKey()) {
            throw new IllegalArgumentException(
                    "source table "
                            + table.table()
                            + " has no primary key; declare the key columns of the dataset");
        }
        columns = table.project(columns).columnNames();
        // Resolve every filter column now: an unknown one fails before any work starts.
        Select.from(table).where(filter);
        if (softDelete != null) {
            Select.from(table).where(softDelete);
        }
    }

    /** The slice's schema: its columns (slice order) and the source's primary key. */
    public TableSchema sliceSchema() {
        return table.project(columns);
    }

    public List<Column> columnDefs() {
        return table.columns(columns);
    }

    public List<String> key() {
        return table.primaryKey();
    }

    /** A SELECT of the slice's rows (filter applied, soft-deleted rows left out). */
    public Select select() {
        Select s = Select.from(table).columns(columns).where(filter);
        if (softDelete != null) {
            s.whereNotTrue(softDelete);
        }
        return s;
    }
}
