package io.datafabric.drms.task;

/**
 * One batch of an edge, as reported to a {@link BatchListener}.
 *
 * @param edgeId the edge
 * @param batchId the batch's id (also its {@code batch_id} in {@code <table>__inc})
 * @param kind what produced the batch
 * @param upserts rows written
 * @param deletes rows deleted
 * @param cursor the cursor JSON committed with the batch
 */
public record BatchInfo(
        String edgeId, long batchId, Kind kind, int upserts, int deletes, String cursor) {

    /** What produced a batch. */
    public enum Kind {
        /** A chunk of a snapshot pass. */
        SNAPSHOT,
        /** A chunk of changes read by cursor or from a staging table. */
        INCREMENT,
        /** Deletes found by the primary key diff. */
        DIFF,
        /** Only the cursor moved (a phase change or an empty read). */
        CURSOR
    }
}
