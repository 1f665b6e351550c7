package io.datafabric.usage.model;

/**
 * How far one split got in one chunk (or, merged by the sink, in one checkpoint): the committed
 * position and counts that go into {@code usage.file_splits} and {@code usage.files}.
 *
 * @param nextOffset cumulative: where the next line of the split starts
 * @param physicalLines cumulative: lines of any kind read in the split
 * @param lines valid lines counted in this chunk (or merged chunks)
 * @param rejects lines rejected in this chunk (or merged chunks)
 * @param bytes bytes consumed in this chunk (or merged chunks)
 * @param done the split has been read to its end
 */
public record SplitProgress(
        String path,
        long fileSize,
        long mtimeMillis,
        long periodStart,
        long splitSize,
        int splitCount,
        int splitIndex,
        String owner,
        long nextOffset,
        long physicalLines,
        long lines,
        long rejects,
        long bytes,
        boolean done) {

    /** Identifies the split across chunks. */
    public String splitKey() {
        return path + "#" + splitIndex;
    }

    /** This progress followed by a later one of the same split. */
    public SplitProgress then(SplitProgress later) {
        return new SplitProgress(
                path,
                fileSize,
                mtimeMillis,
                periodStart,
                splitSize,
                splitCount,
                splitIndex,
                owner,
                later.nextOffset,
                later.physicalLines,
                lines + later.lines,
                rejects + later.rejects,
                bytes + later.bytes,
                done || later.done);
    }
}
