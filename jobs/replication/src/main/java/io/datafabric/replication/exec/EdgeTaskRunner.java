package io.datafabric.replication.exec;

import io.datafabric.drms.graph.EdgeDefinition;
import io.datafabric.replication.schedule.TaskRequest;
import java.io.Serializable;

/**
 * Runs the loads of one edge against the databases. Implementations are thread-safe: the executor
 * calls them for many edges at once (never twice at once for one edge).
 */
public interface EdgeTaskRunner extends AutoCloseable {
    /**
     * Runs one task of the given kind ({@code incremental}: the rows past the cursor; {@code
     * snapshot}: the whole slice, removing what left it; {@code converge}: incremental runs until
     * caught up, then a whole-slice comparison that repairs any difference).
     *
     * @throws Exception when the load or its validation failed; the executor retries
     */
    TaskReport run(EdgeDefinition edge, TaskRequest.Kind kind) throws Exception;

    @Override
    default void close() {}

    /** Creates the runner inside the task manager (runners hold pools and are not serializable). */
    @FunctionalInterface
    interface Factory extends Serializable {
        EdgeTaskRunner create();
    }
}
