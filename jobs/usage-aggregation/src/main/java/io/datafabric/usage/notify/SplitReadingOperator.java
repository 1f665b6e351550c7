package io.datafabric.usage.notify;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.FileSplitTypeSerializer;
import io.datafabric.usage.model.SplitProgress;
import io.datafabric.usage.read.ChunkReader;
import io.datafabric.usage.read.ReadOptions;
import io.datafabric.usage.read.ReadProgressListener;
import io.datafabric.usage.read.ReaderMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Reads the splits it receives, one chunk per mailbox step, so checkpoints fall between chunks. Its
 * state is the queue of splits with the position reached in the first one: after a failure reading
 * resumes mid-file.
 */
public final class SplitReadingOperator extends AbstractStreamOperator<ChunkDelta>
        implements OneInputStreamOperator<FileSplit, ChunkDelta>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final ReadOptions options;
    private final ReadProgressListener listener;
    private final transient MailboxExecutor mailbox;
    private transient ArrayDeque<FileSplit> queue;
    private transient ListState<FileSplit> state;
    private transient ChunkReader reader;
    private transient FileSplit opened;
    private transient boolean scheduled;
    private transient ReaderMetrics metrics;
    private transient long lastCompletedCheckpoint = -1;
    private transient long openedAt;
    private transient long movedSnapshot = -1;

    SplitReadingOperator(
            ReadOptions options, ReadProgressListener listener, MailboxExecutor mailbox) {
        this.options = options;
        this.listener = listener;
        this.mailbox = mailbox;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pending-splits", FileSplitTypeSerializer.INSTANCE));
        queue = new ArrayDeque<>();
        for (FileSplit split : state.get()) {
            queue.add(split);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        reader = new ChunkReader(options);
        metrics = new ReaderMetrics(getMetricGroup());
        queue.forEach(this::assigned);
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    @Override
    public void processElement(StreamRecord<FileSplit> element) {
        queue.add(element.getValue());
        assigned(element.getValue());
        schedule();
    }

    private void assigned(FileSplit split) {
        if (listener != null) {
            listener.splitAssigned(split.path(), split.index(), split.start(), split.offset());
        }
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            mailbox.execute(this::step, "read a usage chunk");
        }
    }

    private void step() throws Exception {
        scheduled = false;
        FileSplit head = queue.peekFirst();
        if (head == null) {
            return;
        }
        if (opened != head) {
            reader.open(head);
            openedAt = head.offset();
            movedSnapshot = -1;
        }
        ChunkDelta delta = reader.readChunk();
        SplitProgress p = delta.progress();
        queue.pollFirst();
        if (reader.isDone()) {
            reader.close();
            opened = null;
        } else {
            opened =
                    head.advancedTo(
                            p.nextOffset(), p.physicalLines(), head.rejects() + p.rejects());
            queue.addFirst(opened);
        }
        metrics.record(delta);
        output.collect(new StreamRecord<>(delta));
        if (listener != null && !p.done()) {
            listener.chunkRead(
                    p.path(),
                    p.physicalLines(),
                    movedSnapshot >= 0 && lastCompletedCheckpoint >= movedSnapshot);
        }
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (opened != null && movedSnapshot < 0 && opened.offset() > openedAt) {
            movedSnapshot = context.getCheckpointId();
        }
        state.update(new ArrayList<>(queue));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        lastCompletedCheckpoint = Math.max(lastCompletedCheckpoint, checkpointId);
        super.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        while (!queue.isEmpty()) {
            step();
        }
    }

    @Override
    public void close() throws Exception {
        if (reader != null) {
            reader.close();
        }
        super.close();
    }
}
