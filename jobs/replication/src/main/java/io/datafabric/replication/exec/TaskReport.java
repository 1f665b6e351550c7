package io.datafabric.replication.exec;

/**
 * The result of one load run of an edge, validated: {@code rows} written or removed in the target,
 * the cursor before and after, the checksum both sides agreed on, and whether the target has caught
 * up with the source ({@code caughtUp}: no rows left past the cursor).
 */
public record TaskReport(
        long rows, String cursorFrom, String cursorTo, String checksum, boolean caughtUp) {}
