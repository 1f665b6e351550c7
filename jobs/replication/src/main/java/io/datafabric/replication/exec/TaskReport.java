package io.datafabric.replication.exec;

import io.datafabric.replication.schedule.TaskRequest;

/**
 * The result of one load run of an edge, validated: {@code rows} written or removed in the target,
 * the cursor before and after, the checksum both sides agreed on, and whether the target has caught
 * up with the source ({@code caughtUp}: no rows left past the cursor), and what kind of task
 * actually ran ({@code ranKind}: {@code snapshot} when it started or continued a snapshot pass,
 * else {@code incremental}, or {@code converge}).
 */
public record TaskReport(
        long rows,
        String cursorFrom,
        String cursorTo,
        String checksum,
        boolean caughtUp,
        TaskRequest.Kind ranKind) {}
