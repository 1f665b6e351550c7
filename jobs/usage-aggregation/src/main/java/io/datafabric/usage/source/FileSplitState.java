package io.datafabric.usage.source;

import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.SplitProgress;

/** The mutable position of a split while a source reader owns it. */
final class FileSplitState {
    private final FileSplit split;
    private final int checkpointsAtStart;
    private long offset;
    private long physicalLines;
    private long rejects;

    FileSplitState(FileSplit split, int checkpointsAtStart) {
        this.split = split;
        this.checkpointsAtStart = checkpointsAtStart;
        this.offset = split.offset();
        this.physicalLines = split.physicalLines();
        this.rejects = split.rejects();
    }

    void advance(SplitProgress progress) {
        offset = progress.nextOffset();
        physicalLines = progress.physicalLines();
        rejects += progress.rejects();
    }

    int checkpointsAtStart() {
        return checkpointsAtStart;
    }

    FileSplit toSplit() {
        return split.advancedTo(offset, physicalLines, rejects);
    }
}
