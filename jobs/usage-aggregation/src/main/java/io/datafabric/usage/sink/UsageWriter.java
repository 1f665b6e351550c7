package io.datafabric.usage.sink;

import io.datafabric.usage.aggregate.LongLongMap;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.model.SplitProgress;
import io.datafabric.usage.parse.RejectReason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

/**
 * Sums the chunks received since the last checkpoint per (period, consumer) and turns them into one
 * {@link UsageCommittable} per checkpoint. Holds no state across checkpoints: everything it has
 * goes into the committable at the barrier.
 */
final class UsageWriter implements CommittingSinkWriter<ChunkDelta, UsageCommittable> {
    private final String jobId;
    private final int subtask;
    private Map<Long, LongLongMap> periods = new TreeMap<>();
    private List<RejectRow> rejects = new ArrayList<>();
    private Map<String, SplitProgress> progress = new LinkedHashMap<>();

    UsageWriter(String jobId, int subtask) {
        this.jobId = jobId;
        this.subtask = subtask;
    }

    @Override
    public void write(ChunkDelta delta, Context context) {
        long[] consumers = delta.consumers();
        long[] amounts = delta.amounts();
        if (consumers.length > 0) {
            LongLongMap sums =
                    periods.computeIfAbsent(
                            delta.periodStart(), p -> new LongLongMap(consumers.length));
            for (int i = 0; i < consumers.length; i++) {
                if (!sums.add(consumers[i], amounts[i])) {
                    rejects.add(
                            RejectRow.ofText(
                                    delta.progress() == null ? "" : delta.progress().path(),
                                    RejectReason.TOTAL_OVERFLOW,
                                    consumers[i] + " " + amounts[i]));
                }
            }
        }
        rejects.addAll(delta.rejects());
        SplitProgress p = delta.progress();
        if (p != null) {
            progress.merge(p.splitKey(), p, SplitProgress::then);
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // everything is handed over in prepareCommit
    }

    @Override
    public Collection<UsageCommittable> prepareCommit() {
        if (periods.isEmpty() && rejects.isEmpty() && progress.isEmpty()) {
            return List.of();
        }
        List<UsageCommittable.PeriodDeltas> deltas = new ArrayList<>(periods.size());
        for (Map.Entry<Long, LongLongMap> e : periods.entrySet()) {
            long[][] arrays = e.getValue().toArrays();
            deltas.add(new UsageCommittable.PeriodDeltas(e.getKey(), arrays[0], arrays[1]));
        }
        UsageCommittable committable =
                new UsageCommittable(
                        UUID.randomUUID(),
                        jobId,
                        subtask,
                        -1,
                        deltas,
                        rejects,
                        new ArrayList<>(progress.values()));
        // fresh containers: the maps of a busy checkpoint may be large, let them go
        periods = new TreeMap<>();
        rejects = new ArrayList<>();
        progress = new LinkedHashMap<>();
        return List.of(committable);
    }

    @Override
    public void close() {
        periods.clear();
    }
}
