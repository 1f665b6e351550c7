package io.datafabric.replication.schedule;

/**
 * One task for the executor: run {@code kind} ({@code incremental}, {@code snapshot} or {@code
 * converge}) for an edge as defined by {@code definitionJson}; or ({@code remove}, no definition)
 * forget a removed edge. {@code runId} ties the tasks of a bounded run together.
 */
public record TaskRequest(
        String edgeId,
        String definitionJson,
        String kind,
        String reason,
        long requestedAt,
        String runId) {
    public static final String INCREMENTAL = "incremental";
    public static final String SNAPSHOT = "snapshot";
    public static final String CONVERGE = "converge";

    /** Not a task: the edge left the graph, so the executor forgets it (and its metrics). */
    public static final String REMOVE = "remove";
}
