package io.datafabric.replication.exec;

import io.datafabric.replication.schedule.TaskRequest;
import java.util.Locale;

/**
 * What one task did: {@link Status#SUCCEEDED} (rows loaded and validated), {@link Status#FAILED}
 * (after every retry), or {@link Status#COALESCED} (the edge was already running; its run picks
 * this request up).
 */
public record TaskOutcome(
        String edgeId,
        String dataset,
        Status status,
        TaskRequest.Kind kind,
        long rows,
        String cursorFrom,
        String cursorTo,
        String checksum,
        int attempts,
        String error,
        long startedAt,
        long finishedAt,
        boolean converged) {

    /** How a task ended. */
    public enum Status {
        SUCCEEDED,
        FAILED,
        COALESCED;

        /** The name in {@code drms.tasks.status}. */
        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean loadedRows() {
        return status == Status.SUCCEEDED && rows > 0;
    }
}
