package io.datafabric.drms.graph;

/** A node of the graph: a table in some database, or a slice of another dataset. */
public sealed interface Dataset permits TableDataset, SliceDataset {
    String name();

    /** The YAML path of the dataset's entry, {@code datasets.<name>}. */
    default String path() {
        return "datasets." + name();
    }
}
