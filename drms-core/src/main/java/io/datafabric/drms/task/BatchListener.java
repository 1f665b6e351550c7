package io.datafabric.drms.task;

/**
 * Observes an edge's batches: metrics, logs, and in tests crash injection (an exception thrown from
 * {@link #beforeCommit} rolls the batch back; one thrown from {@link #afterCommit} stops the run
 * after the batch is durable).
 */
public interface BatchListener {
    BatchListener NONE = new BatchListener() {};

    /** Called inside the batch transaction, after all writes, just before COMMIT. */
    default void beforeCommit(BatchInfo batch) {}

    /** Called after the batch (rows and cursor) is committed. */
    default void afterCommit(BatchInfo batch) {}
}
