package io.datafabric.des;

import java.util.List;

/**
 * What {@link DesWriter#finish()} committed.
 *
 * @param shardKey key of the shard object in its sink
 * @param entryCount number of files in the shard
 * @param objectLength length of the shard object in bytes
 * @param bodyBytes total body bytes, inline and in side objects
 * @param sideObjectKeys keys of the big-file side objects, in the order they were written
 */
public record ShardSummary(
        String shardKey,
        long entryCount,
        long objectLength,
        long bodyBytes,
        List<String> sideObjectKeys) {

    public ShardSummary {
        sideObjectKeys = List.copyOf(sideObjectKeys);
    }
}
