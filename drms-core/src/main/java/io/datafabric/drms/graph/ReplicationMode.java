package io.datafabric.drms.graph;

import java.util.Locale;

/**
 * How a consumer keeps its target in step: {@code incremental} takes the rows past the stored
 * cursor each run; {@code snapshot} reloads the whole slice every run and removes what left it.
 */
public enum ReplicationMode {
    INCREMENTAL,
    SNAPSHOT;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
