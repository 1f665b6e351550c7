package io.datafabric.drms.control;

import java.time.Instant;

/**
 * One row of {@code drms.tasks} as read back (the columns are documented in the replication job's
 * README). {@code finishedAt}, {@code cursorFrom}, {@code cursorTo}, {@code checksum}, {@code
 * error} and {@code runId} may be null.
 */
public record TaskEntry(
        long id,
        String edgeId,
        Instant startedAt,
        Instant finishedAt,
        String status,
        String kind,
        long rows,
        String cursorFrom,
        String cursorTo,
        String checksum,
        int attempt,
        String error,
        String runId,
        boolean converged) {}
