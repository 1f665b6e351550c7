package io.datafabric.usage.sink;

import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.model.SplitProgress;
import java.util.List;
import java.util.UUID;

/**
 * Everything one checkpoint of the sink writer applies in ONE PostgreSQL transaction: the summed
 * increments per consumer and period, the rejects, and the split positions reached.
 *
 * @param commitId random, fixed when the committable is created: a re-commit after recovery carries
 *     the same id, so its ledger row identifies it
 * @param checkpointId the checkpoint that produced it, {@code -1} before it is known
 */
public record UsageCommittable(
        UUID commitId,
        String jobId,
        int subtask,
        long checkpointId,
        List<PeriodDeltas> deltas,
        List<RejectRow> rejects,
        List<SplitProgress> progress) {

    public UsageCommittable {
        deltas = List.copyOf(deltas);
        rejects = List.copyOf(rejects);
        progress = List.copyOf(progress);
    }

    /** Summed amounts of one period. */
    public record PeriodDeltas(long periodStart, long[] consumers, long[] amounts) {
        public PeriodDeltas {
            if (consumers.length != amounts.length) {
                throw new IllegalArgumentException("consumers and amounts differ in length");
            }
        }
    }

    public UsageCommittable withCheckpoint(long id) {
        return new UsageCommittable(commitId, jobId, subtask, id, deltas, rejects, progress);
    }

    /** Number of (consumer, period) entries. */
    public long entries() {
        long n = 0;
        for (PeriodDeltas d : deltas) {
            n += d.consumers().length;
        }
        return n;
    }
}
