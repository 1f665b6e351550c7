package io.datafabric.usage.read;

import io.datafabric.usage.model.FileSplit;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what to read of a discovered file, given what PostgreSQL knows about it: nothing for a
 * completed file or one this lineage is already reading, the unfinished splits from their committed
 * positions for a file left half-done by an earlier deployment, all splits otherwise.
 */
public final class SplitPlanner implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long splitSize;
    private final long periodSeconds;

    public SplitPlanner(long splitSize, long periodSeconds) {
        if (splitSize < 1 || periodSeconds < 1) {
            throw new IllegalArgumentException("split size and period must be positive");
        }
        this.splitSize = splitSize;
        this.periodSeconds = periodSeconds;
    }

    /**
     * The splits to read.
     *
     * @param known the file's row in PostgreSQL, or null
     * @param owner the lineage planning the file
     */
    public List<FileSplit> plan(DiscoveredFile file, KnownFile known, String owner) {
        if (known == null) {
            return fresh(file, owner);
        }
        if (known.completed() || known.owner().equals(owner)) {
            return List.of();
        }
        return adopt(known, owner);
    }

    /** Epoch second of the period that contains {@code mtimeMillis}. */
    public long periodOf(long mtimeMillis) {
        long seconds = Math.floorDiv(mtimeMillis, 1000L);
        return Math.floorDiv(seconds, periodSeconds) * periodSeconds;
    }

    private List<FileSplit> fresh(DiscoveredFile file, String owner) {
        int count = (int) Math.max(1, (file.size() + splitSize - 1) / splitSize);
        long period = periodOf(file.mtimeMillis());
        List<FileSplit> splits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long start = i * splitSize;
            long end = Math.min(file.size(), start + splitSize);
            splits.add(
                    new FileSplit(
                            file.path(),
                            file.size(),
                            file.mtimeMillis(),
                            period,
                            splitSize,
                            i,
                            count,
                            start,
                            end,
                            start,
                            0,
                            0,
                            owner));
        }
        return splits;
    }

    /** Resumes a file from its committed positions, with the layout it was started with. */
    private List<FileSplit> adopt(KnownFile known, String owner) {
        List<FileSplit> splits = new ArrayList<>();
        for (int i = 0; i < known.splitCount(); i++) {
            KnownFile.SplitRow row = known.splits().get(i);
            if (row != null && row.done()) {
                continue;
            }
            long start = i * known.splitSize();
            long end = Math.min(known.size(), start + known.splitSize());
            splits.add(
                    new FileSplit(
                            known.path(),
                            known.size(),
                            known.mtimeMillis(),
                            known.periodStart(),
                            known.splitSize(),
                            i,
                            known.splitCount(),
                            start,
                            end,
                            row == null ? start : row.nextOffset(),
                            row == null ? 0 : row.physicalLines(),
                            row == null ? 0 : row.rejects(),
                            owner));
        }
        return splits;
    }
}
