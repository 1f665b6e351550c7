package io.datafabric.usage.model;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A byte range of one usage file and how far it has been read.
 *
 * <p>The file is cut into ranges of {@code splitSize} bytes; split {@code index} owns the lines
 * that <em>start</em> in {@code [start, end)} (its last line may run past {@code end}). {@code
 * offset} is the file position of the next line to read: when it equals {@code start} (and {@code
 * start > 0}) the reader first skips the rest of the line that began in the previous range.
 *
 * @param path the file (a Flink file system URI or local path)
 * @param fileSize bytes of the file when it was discovered; nothing past it is read
 * @param mtimeMillis modification time when discovered: "the time the file became complete"
 * @param periodStart epoch second of the statistics period of the file
 * @param owner the lineage (enumerator or planner instance chain) that planned the file
 * @param physicalLines lines (of any kind) read so far in this split, to number rejects
 * @param rejects lines rejected so far in this split
 */
public record FileSplit(
        String path,
        long fileSize,
        long mtimeMillis,
        long periodStart,
        long splitSize,
        int index,
        int count,
        long start,
        long end,
        long offset,
        long physicalLines,
        long rejects,
        String owner)
        implements SourceSplit {

    @Override
    public String splitId() {
        return path + "#" + index;
    }

    /** This split read up to {@code newOffset}, having seen the given cumulative counts. */
    public FileSplit advancedTo(long newOffset, long newPhysicalLines, long newRejects) {
        return new FileSplit(
                path,
                fileSize,
                mtimeMillis,
                periodStart,
                splitSize,
                index,
                count,
                start,
                end,
                newOffset,
                newPhysicalLines,
                newRejects,
                owner);
    }

    /** True when there is nothing left to read. */
    public boolean isFinished() {
        return offset >= end || offset >= fileSize;
    }
}
