package io.datafabric.usage.source;

import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.SplitProgress;

/** The mutable position of a split while a source reader owns it. */
final class FileSplitState {
    private final FileSplit split;
    private long movedSnapshot = -1;
    private long offset;
    private long physicalLines;
    private long rejects;

    FileSplitState(FileSplit split) {
        this.split = split;
        this.offset = split.offset();
        this.physicalLines = split.physicalLines();
        this.rejects = split.rejects();
    }

    void advance(SplitProgress progress) {
        offset = progress.nextOffset();
        physicalLines = progress.physicalLines();
        rejects += progress.rejects();
    }

    /** Notes a checkpoint taking this split's position (the first one past where it began). */
    void snapshotted(long checkpointId) {
        if (movedSnapshot < 0 && checkpointId >= 0 && offset > split.offset()) {
            movedSnapshot = checkpointId;
        }
    }

    /** True once a completed checkpoint holds a position past where the reader got the split. */
    boolean resumableAfter(long lastCompletedCheckpoint) {
        return movedSnapshot >= 0 && lastCompletedCheckpoint >= movedSnapshot;
    }

    FileSplit toSplit() {
        return split.advancedTo(offset, physicalLines, rejects);
    }
}
