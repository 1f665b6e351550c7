package io.datafabric.replication.control;

/**
 * The end of one task attempt, as written to {@code drms.tasks}. A failed attempt that will be
 * retried is {@code retrying}; the last one is {@code failed}.
 */
public record TaskRecord(
        long id,
        String status,
        long rows,
        String cursorFrom,
        String cursorTo,
        String checksum,
        int attempt,
        String error,
        boolean converged) {}
