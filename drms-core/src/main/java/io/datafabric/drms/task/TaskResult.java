package io.datafabric.drms.task;

import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.validate.Comparison;
import java.time.Duration;

/**
 * What one run of an edge did.
 *
 * @param edgeId the edge
 * @param phase the edge's phase after the run
 * @param rowsUpserted rows written to the target
 * @param rowsDeleted target rows deleted (source deletes, soft deletes, rows moved out of the
 *     slice, diff)
 * @param rowsSkipped re-read rows (look-back window) found identical in the target
 * @param batches transactions committed
 * @param cursorFrom cursor JSON at the start (null: first run)
 * @param cursorTo cursor JSON at the end
 * @param caughtUp true when the run read everything available (false: stopped by maxChunks or
 *     maxDuration; the next run continues)
 * @param snapshotStarted true when this run began a snapshot pass
 * @param validation the comparison asked for, or null
 * @param prunedIncrements staged rows pruned by retention
 * @param elapsed wall time of the run
 * @param snapshotLoaded true when this run loaded chunks of a snapshot pass (begun now or before)
 * @param deleteDiffCompleted true when this run completed a primary-key diff for hard deletes
 */
public record TaskResult(
        String edgeId,
        EdgeCursor.Phase phase,
        long rowsUpserted,
        long rowsDeleted,
        long rowsSkipped,
        int batches,
        String cursorFrom,
        String cursorTo,
        boolean caughtUp,
        boolean snapshotStarted,
        Comparison validation,
        long prunedIncrements,
        Duration elapsed,
        boolean snapshotLoaded,
        boolean deleteDiffCompleted) {}
