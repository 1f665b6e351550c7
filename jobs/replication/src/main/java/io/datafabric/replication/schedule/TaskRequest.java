package io.datafabric.replication.schedule;

import io.datafabric.drms.graph.EdgeDefinition;
import java.util.Locale;

/**
 * One task for the executor: run {@code kind} for an edge as {@code edge} defines it; or ({@link
 * Kind#REMOVE}, no definition) forget a removed edge. {@code runId} ties the tasks of a bounded run
 * together (empty when unbounded).
 */
public record TaskRequest(
        String edgeId,
        EdgeDefinition edge,
        Kind kind,
        String reason,
        long requestedAt,
        String runId) {

    /** What to run. */
    public enum Kind {
        /** The rows past the cursor (an edge's first run snapshots by itself). */
        INCREMENTAL,
        /** The whole slice again, removing what left it (new or changed rules). */
        SNAPSHOT,
        /** Bounded runs: incremental until caught up, then a whole-slice comparison. */
        CONVERGE,
        /** Not a task: the edge left the graph, so the executor forgets it (and its metrics). */
        REMOVE;

        /** The name in {@code drms.tasks.kind}. */
        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
