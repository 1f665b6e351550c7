package io.datafabric.usage.read;

import java.io.Serializable;

/**
 * How readers cut their work.
 *
 * @param chunkBytes bytes read before the per-consumer sums are sent on (and the position can be
 *     checkpointed)
 * @param maxEntries distinct consumers held before the sums are sent on early
 * @param maxRejectRowsPerSplit rejected lines of one split recorded in {@code usage.rejects}; more
 *     are counted only (bounds memory for files of garbage)
 */
public record ReadOptions(long chunkBytes, int maxEntries, long maxRejectRowsPerSplit)
        implements Serializable {
    public ReadOptions {
        if (chunkBytes < 1 || maxEntries < 1 || maxRejectRowsPerSplit < 0) {
            throw new IllegalArgumentException("invalid read options");
        }
    }
}
