package io.datafabric.drms.graph;

import java.util.List;

/**
 * A table in a database. {@code cursor} lists the columns whose increasing value marks new or
 * changed rows (typically {@code [updated_at, id]}); {@code softDelete}, when not null, names a
 * column that marks deleted rows (true, or any non-null value for non-boolean columns).
 */
public record TableDataset(
        String name, String connection, String table, List<String> cursor, String softDelete)
        implements Dataset {
    public TableDataset {
        cursor = List.copyOf(cursor);
    }
}
