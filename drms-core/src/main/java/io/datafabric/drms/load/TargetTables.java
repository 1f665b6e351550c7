package io.datafabric.drms.load;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.SchemaIntrospector;
import io.datafabric.drms.sql.TableDdl;
import io.datafabric.drms.sql.TableName;
import io.datafabric.drms.sql.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prepares a target: creates the table from the slice's schema when it is missing (types rendered
 * for the target's dialect, the source's primary key), creates {@code <table>__inc} and {@code
 * drms_cursor} when missing, and checks that an existing table has every column and the same key.
 */
public final class TargetTables {

    /**
     * @param slice the slice's schema (source column names and types, source key)
     * @param staging whether to keep {@code <table>__inc}
     */
    public TargetTable ensure(Database db, TableName name, TableSchema slice, boolean staging)
            throws SQLException {
        SchemaIntrospector introspector = new SchemaIntrospector(db.dialect());
        try (Connection c = db.connect()) {
            Optional<TableSchema> existing = introspector.find(c, name);
            if (existing.isEmpty()) {
                try (Statement st = c.createStatement()) {
                    st.execute(new TableDdl(db.dialect()).createTable(name, slice));
                }
                existing = Optional.of(introspector.require(c, name));
            }
            TableSchema projected = project(existing.get(), slice);
            TableSchema increments = null;
            if (staging) {
                increments = new IncrementStore(db.dialect()).ensure(c, projected);
                for (Column col : projected.columns()) {
                    if (!increments.hasColumn(col.name())) {
                        throw new IllegalArgumentException(
                                "staging table "
                                        + increments.table()
                                        + " lacks column "
                                        + col.name()
                                        + " (did the slice's columns change? add it or drop the"
                                        + " staging table)");
                    }
                }
            }
            new CursorStore(db.dialect(), name.schema()).ensureTable(c);
            return new TargetTable(projected, increments);
        }
    }

    /** The target's columns matching the slice's (target spellings, slice order) and its key. */
    static TableSchema project(TableSchema target, TableSchema slice) {
        List<String> names = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Column c : slice.columns()) {
            if (target.hasColumn(c.name())) {
                names.add(target.column(c.name()).name());
            } else {
                missing.add(c.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "target table "
                            + target.table()
                            + " lacks the slice's columns "
                            + missing
                            + " (has "
                            + target.columnNames()
                            + ")");
        }
        List<String> expectedKey =
                slice.primaryKey().stream().map(k -> target.column(k).name()).toList();
        if (!target.primaryKey().equals(expectedKey)) {
            throw new IllegalArgumentException(
                    "target table "
                            + target.table()
                            + " has primary key "
                            + target.primaryKey()
                            + " but its source's key is "
                            + slice.primaryKey());
        }
        List<Column> cols = target.columns(names);
        return new TableSchema(target.table(), cols, expectedKey);
    }
}
