package io.datafabric.des.naming;

import java.util.function.LongSupplier;

/**
 * Generates unique, time-ordered file names ({@link SnowflakeId}) for one node. Ids from one
 * generator strictly increase. It never waits: when the clock steps back or 4096 names are taken
 * within one millisecond, it carries on from the last millisecond used (borrowing the next one),
 * and the clock catches up later.
 */
public final class SnowflakeNameGenerator {
    private final int node;
    private final LongSupplier clockMillis;
    private long lastMillis = -1;
    private int sequence;

    /**
     * @param node node id, unique among concurrent generators, 0 to 1023
     * @param clockMillis Unix time in milliseconds, e.g. {@code System::currentTimeMillis}
     */
    public SnowflakeNameGenerator(int node, LongSupplier clockMillis) {
        if (node < 0 || node > SnowflakeId.MAX_NODE) {
            throw new IllegalArgumentException(
                    "node id must be 0.." + SnowflakeId.MAX_NODE + ": " + node);
        }
        this.node = node;
        this.clockMillis = clockMillis;
    }

    public SnowflakeNameGenerator(int node) {
        this(node, System::currentTimeMillis);
    }

    public synchronized SnowflakeId nextId() {
        long now = clockMillis.getAsLong() - SnowflakeId.EPOCH.toEpochMilli();
        if (now < 0) {
            throw new IllegalStateException("clock is before the snowflake epoch 2024-01-01");
        }
        if (now <= lastMillis) {
            sequence++;
            if (sequence > SnowflakeId.MAX_SEQUENCE) {
                lastMillis++;
                sequence = 0;
            }
        } else {
            lastMillis = now;
            sequence = 0;
        }
        return new SnowflakeId(lastMillis, node, sequence);
    }

    /** The next name: 16 lowercase hex digits. */
    public String next() {
        return nextId().toName();
    }
}
