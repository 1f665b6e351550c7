package io.datafabric.usage.notify;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.read.ReadOptions;
import io.datafabric.usage.read.ReadProgressListener;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.YieldingOperatorFactory;

/** Creates {@link SplitReadingOperator}s and hands them the task's mailbox. */
public final class SplitReadingOperatorFactory extends AbstractStreamOperatorFactory<ChunkDelta>
        implements OneInputStreamOperatorFactory<FileSplit, ChunkDelta>,
                YieldingOperatorFactory<ChunkDelta> {
    private static final long serialVersionUID = 1L;

    private final ReadOptions options;
    private final ReadProgressListener listener;

    /**
     * @param listener sees the readers' progress (tests), or null
     */
    public SplitReadingOperatorFactory(ReadOptions options, ReadProgressListener listener) {
        this.options = options;
        this.listener = listener;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<ChunkDelta>> T createStreamOperator(
            StreamOperatorParameters<ChunkDelta> parameters) {
        SplitReadingOperator operator =
                new SplitReadingOperator(options, listener, getMailboxExecutor());
        operator.setup(
                parameters.getContainingTask(),
                parameters.getStreamConfig(),
                parameters.getOutput());
        return (T) operator;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return SplitReadingOperator.class;
    }
}
