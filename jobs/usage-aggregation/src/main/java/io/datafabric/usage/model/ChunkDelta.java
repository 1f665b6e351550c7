package io.datafabric.usage.model;

import java.util.List;

/**
 * What a reader sends to the sink for one chunk of a split: the amounts summed per consumer (so far
 * fewer records cross the network than lines were read), the rejected lines, and the split's new
 * position.
 *
 * <p>Instances are never modified after creation (the arrays included), which lets the serializer
 * skip copies between chained operators.
 *
 * @param progress null for rejects that belong to no split (a bad notification)
 * @param periodStart epoch second of the period all amounts belong to
 * @param consumers consumer ids, distinct
 * @param amounts the sums, index-aligned with {@code consumers}
 */
public record ChunkDelta(
        SplitProgress progress,
        long periodStart,
        long[] consumers,
        long[] amounts,
        List<RejectRow> rejects) {

    public ChunkDelta {
        if (consumers.length != amounts.length) {
            throw new IllegalArgumentException("consumers and amounts differ in length");
        }
        rejects = List.copyOf(rejects);
    }

    /** A delta holding only rejects. */
    public static ChunkDelta rejectsOnly(List<RejectRow> rejects) {
        return new ChunkDelta(null, 0, new long[0], new long[0], rejects);
    }

    public int entries() {
        return consumers.length;
    }
}
