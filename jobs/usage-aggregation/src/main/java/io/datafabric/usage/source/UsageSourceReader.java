package io.datafabric.usage.source;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.read.ChunkReader;
import io.datafabric.usage.read.ReadOptions;
import io.datafabric.usage.read.ReadProgressListener;
import io.datafabric.usage.read.ReaderMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/** The parallel reader of the directory source: asks for a split, reads it, asks for the next. */
final class UsageSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                ChunkDelta, ChunkDelta, FileSplit, FileSplitState> {
    private final AtomicLong lastCompletedCheckpoint;
    private long snapshotting = -1;
    private final ReadProgressListener listener;

    private UsageSourceReader(
            SourceReaderContext context,
            ReadOptions options,
            ChunkEmitter emitter,
            AtomicLong lastCompletedCheckpoint,
            ReadProgressListener listener) {
        super(
                () -> new ChunkSplitReader(new ChunkReader(options)),
                emitter,
                context.getConfiguration(),
                context);
        this.lastCompletedCheckpoint = lastCompletedCheckpoint;
        this.listener = listener;
    }

    static UsageSourceReader create(
            SourceReaderContext context, ReadOptions options, ReadProgressListener listener) {
        AtomicLong checkpoints = new AtomicLong(-1);
        ChunkEmitter emitter =
                new ChunkEmitter(
                        new ReaderMetrics(context.metricGroup()), listener, checkpoints::get);
        return new UsageSourceReader(context, options, emitter, checkpoints, listener);
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, FileSplitState> finished) {
        context.sendSplitRequest();
    }

    @Override
    protected FileSplitState initializedState(FileSplit split) {
        if (listener != null) {
            listener.splitAssigned(split.path(), split.index(), split.start(), split.offset());
        }
        return new FileSplitState(split);
    }

    @Override
    protected FileSplit toSplitType(String splitId, FileSplitState state) {
        state.snapshotted(snapshotting);
        return state.toSplit();
    }

    @Override
    public List<FileSplit> snapshotState(long checkpointId) {
        snapshotting = checkpointId;
        try {
            return super.snapshotState(checkpointId);
        } finally {
            snapshotting = -1;
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        lastCompletedCheckpoint.accumulateAndGet(checkpointId, Math::max);
        super.notifyCheckpointComplete(checkpointId);
    }
}
