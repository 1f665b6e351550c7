package io.datafabric.usage.source;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.FileSplitSerializer;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A FLIP-27 source over a directory of usage files. Unlike {@code FileSource} in continuous mode
 * its enumerator does not keep every path ever seen (FLINK-25672): its state is the pending splits
 * and a bounded set of recent paths; {@code usage.files} in PostgreSQL is the durable record of
 * processed files. Readers send per-consumer sums per chunk, and checkpoint the position inside
 * each split.
 */
public final class UsageFileSource implements Source<ChunkDelta, FileSplit, EnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final DirectorySourceOptions options;

    public UsageFileSource(DirectorySourceOptions options) {
        this.options = options;
    }

    @Override
    public Boundedness getBoundedness() {
        return options.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ChunkDelta, FileSplit> createReader(SourceReaderContext context) {
        return UsageSourceReader.create(context, options.read(), options.listener());
    }

    @Override
    public SplitEnumerator<FileSplit, EnumeratorState> createEnumerator(
            SplitEnumeratorContext<FileSplit> context) {
        EnumeratorState fresh =
                new EnumeratorState(UUID.randomUUID().toString(), List.of(), List.of(), false);
        return new DirectoryEnumerator(context, options, fresh);
    }

    @Override
    public SplitEnumerator<FileSplit, EnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<FileSplit> context, EnumeratorState checkpoint) {
        return new DirectoryEnumerator(context, options, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<FileSplit> getSplitSerializer() {
        return FileSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<EnumeratorState> getEnumeratorCheckpointSerializer() {
        return new EnumeratorStateSerializer();
    }
}
