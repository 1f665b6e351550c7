package io.datafabric.usage.source;

import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.read.ChunkReader;
import java.io.IOException;
import java.util.ArrayDeque;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

/** Runs in the fetcher thread: reads the assigned splits one after the other, a chunk a fetch. */
final class ChunkSplitReader implements SplitReader<ChunkDelta, FileSplit> {
    private final ArrayDeque<FileSplit> splits = new ArrayDeque<>();
    private final ChunkReader reader;
    private FileSplit current;

    ChunkSplitReader(ChunkReader reader) {
        this.reader = reader;
    }

    @Override
    public RecordsWithSplitIds<ChunkDelta> fetch() throws IOException {
        RecordsBySplits.Builder<ChunkDelta> records = new RecordsBySplits.Builder<>();
        if (current == null) {
            current = splits.poll();
            if (current == null) {
                return records.build();
            }
            reader.open(current);
        }
        records.add(current.splitId(), reader.readChunk());
        if (reader.isDone()) {
            records.addFinishedSplit(current.splitId());
            reader.close();
            current = null;
        }
        return records.build();
    }

    @Override
    public void handleSplitsChanges(SplitsChange<FileSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "unsupported split change " + change.getClass().getSimpleName());
        }
        splits.addAll(change.splits());
    }

    @Override
    public void wakeUp() {
        // fetch() never blocks waiting for data: it reads at most one chunk and returns
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
