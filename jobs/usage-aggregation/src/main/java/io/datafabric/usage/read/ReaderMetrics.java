package io.datafabric.usage.read;

import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.SplitProgress;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** What a reader reports: lines, bytes, rejects and the records it sends on. */
public final class ReaderMetrics {
    private final Counter lines;
    private final Counter bytes;
    private final Counter rejects;
    private final Counter entries;

    public ReaderMetrics(MetricGroup operatorGroup) {
        PartMetrics metrics = PartMetrics.of(operatorGroup, "usage");
        lines = metrics.counter("lines");
        bytes = metrics.counter("bytes");
        rejects = metrics.counter("rejects");
        entries = metrics.counter("entriesEmitted");
        metrics.meter("linesPerSecond", lines);
        metrics.meter("bytesPerSecond", bytes);
    }

    /** Counts one chunk that is being sent on. */
    public void record(ChunkDelta delta) {
        SplitProgress p = delta.progress();
        if (p != null) {
            lines.inc(p.lines());
            bytes.inc(p.bytes());
            rejects.inc(p.rejects());
        } else {
            rejects.inc(delta.rejects().size());
        }
        entries.inc(delta.entries());
    }
}
