package io.datafabric.usage.source;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.read.ReadProgressListener;
import io.datafabric.usage.read.ReaderMetrics;
import java.util.function.LongSupplier;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Runs in the task thread: sends a chunk on and moves the split's checkpointed position past it, as
 * one step, so a checkpoint never holds a position whose sums were not sent.
 */
final class ChunkEmitter implements RecordEmitter<ChunkDelta, ChunkDelta, FileSplitState> {
    private final ReaderMetrics metrics;
    private final ReadProgressListener listener;
    private final LongSupplier lastCompletedCheckpoint;

    ChunkEmitter(
            ReaderMetrics metrics,
            ReadProgressListener listener,
            LongSupplier lastCompletedCheckpoint) {
        this.metrics = metrics;
        this.listener = listener;
        this.lastCompletedCheckpoint = lastCompletedCheckpoint;
    }

    @Override
    public void emitRecord(
            ChunkDelta delta, SourceOutput<ChunkDelta> output, FileSplitState state) {
        state.advance(delta.progress());
        metrics.record(delta);
        output.collect(delta);
        if (listener != null && !delta.progress().done()) {
            listener.chunkRead(
                    delta.progress().path(),
                    delta.progress().physicalLines(),
                    state.resumableAfter(lastCompletedCheckpoint.getAsLong()));
        }
    }
}
