package io.datafabric.replication.exec;

/**
 * What one task did: {@code succeeded} (rows loaded and validated), {@code failed} (after every
 * retry), or {@code coalesced} (the edge was already running; its run picks this request up).
 */
public record TaskOutcome(
        String edgeId,
        String dataset,
        String status,
        String kind,
        long rows,
        String cursorFrom,
        String cursorTo,
        String checksum,
        int attempts,
        String error,
        long startedAt,
        long finishedAt,
        boolean converged) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String COALESCED = "coalesced";

    public boolean loadedRows() {
        return SUCCEEDED.equals(status) && rows > 0;
    }
}
