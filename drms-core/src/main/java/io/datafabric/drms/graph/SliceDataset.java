package io.datafabric.drms.graph;

import java.util.List;

/**
 * A filter and a projection of a parent dataset. An empty {@code columns} list keeps every column
 * of the parent; a null {@code filter} keeps every row.
 */
public record SliceDataset(String name, String parent, List<String> columns, Condition filter)
        implements Dataset {
    public SliceDataset {
        columns = List.copyOf(columns);
    }
}
