package io.datafabric.replication.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The replication lag of one edge: the age of the source's newest replicated row, that is now minus
 * the cursor time of the newest row the edge has loaded (the first cursor column of its position,
 * when that column is a timestamp). Edges whose cursor is not a time (a numeric cursor, a staged
 * multi-hop source, a snapshot-mode consumer) have no row time; for them the lag is the time since
 * the start of the last task that caught up with its source, a bound on how old the oldest change
 * not yet replicated can be.
 *
 * <p>Thread-safe: tasks update it, the metric reporter reads it.
 */
final class ReplicationLag {
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile long newestRowAt = -1;
    private volatile long lastCaughtUpAt;

    ReplicationLag(long createdAt) {
        this.lastCaughtUpAt = createdAt;
    }

    /** A task succeeded: its cursor after the load, whether it caught up, when it started. */
    void loaded(String cursorJson, boolean caughtUp, long startedAt) {
        long at = newestRowTime(cursorJson);
        if (at >= 0) {
            newestRowAt = at;
        }
        if (caughtUp) {
            lastCaughtUpAt = startedAt;
        }
    }

    long lastCaughtUpAt() {
        return lastCaughtUpAt;
    }

    long newestRowAt() {
        return newestRowAt;
    }

    /** The lag in milliseconds at {@code now}. */
    static long lagMs(ReplicationLag lag, long now) {
        long rowAt = lag.newestRowAt;
        return Math.max(0, now - (rowAt >= 0 ? rowAt : lag.lastCaughtUpAt));
    }

    /**
     * The time of the newest replicated row as recorded in an edge cursor (drms-core's {@code
     * EdgeCursor} JSON), or -1: only an incremental position over a timestamp column has one; a
     * running snapshot does not count (its position is where increments start afterwards).
     */
    static long newestRowTime(String cursorJson) {
        if (cursorJson == null) {
            return -1;
        }
        try {
            JsonNode c = JSON.readTree(cursorJson);
            if ("SNAPSHOT".equals(c.path("phase").asText())) {
                return -1;
            }
            JsonNode values = c.path("position").path("values");
            if (!values.isArray() || values.isEmpty()) {
                return -1;
            }
            return Instant.parse(values.get(0).asText()).toEpochMilli();
        } catch (IOException | DateTimeParseException e) {
            return -1;
        }
    }
}
