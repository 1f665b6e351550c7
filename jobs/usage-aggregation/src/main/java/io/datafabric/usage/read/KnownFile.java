package io.datafabric.usage.read;

import java.util.Map;

/**
 * What {@code usage.files} and {@code usage.file_splits} say about a file.
 *
 * @param splits committed progress per split index (only splits with some committed effect)
 */
public record KnownFile(
        String path,
        boolean completed,
        String owner,
        long size,
        long mtimeMillis,
        long periodStart,
        long splitSize,
        int splitCount,
        Map<Integer, SplitRow> splits) {

    /** Committed progress of one split. */
    public record SplitRow(
            int index, long nextOffset, long physicalLines, long rejects, boolean done) {}
}
