package io.datafabric.des.naming;

import java.time.Instant;
import java.util.Locale;

/**
 * A snowflake id: 1 zero bit, 41 bits of milliseconds since {@link #EPOCH}, 10 bits of node id and
 * 12 bits of sequence. As a name it prints as 16 lowercase hex digits, so names sort by time.
 *
 * @param epochMillis milliseconds since {@link #EPOCH}
 * @param node node id, 0 to 1023
 * @param sequence sequence within the millisecond, 0 to 4095
 */
public record SnowflakeId(long epochMillis, int node, int sequence) {
    /** 2024-01-01T00:00:00Z. */
    public static final Instant EPOCH = Instant.ofEpochMilli(1_704_067_200_000L);

    public static final int TIME_BITS = 41;
    public static final int NODE_BITS = 10;
    public static final int SEQUENCE_BITS = 12;
    public static final int MAX_NODE = (1 << NODE_BITS) - 1;
    public static final int MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1;
    public static final long MAX_EPOCH_MILLIS = (1L << TIME_BITS) - 1;

    public SnowflakeId {
        if (epochMillis < 0 || epochMillis > MAX_EPOCH_MILLIS) {
            throw new IllegalArgumentException("time outside the 41-bit range of the epoch");
        }
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("node id must be 0.." + MAX_NODE + ": " + node);
        }
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence must be 0.." + MAX_SEQUENCE);
        }
    }

    public static SnowflakeId of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("snowflake ids are non-negative");
        }
        return new SnowflakeId(
                value >>> (NODE_BITS + SEQUENCE_BITS),
                (int) (value >>> SEQUENCE_BITS) & MAX_NODE,
                (int) value & MAX_SEQUENCE);
    }

    /** Parses the 16-hex-digit form. */
    public static SnowflakeId parse(String name) {
        if (name.length() != 16) {
            throw new IllegalArgumentException("not a snowflake name: " + name);
        }
        try {
            return of(Long.parseUnsignedLong(name, 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a snowflake name: " + name, e);
        }
    }

    public long value() {
        return epochMillis << (NODE_BITS + SEQUENCE_BITS) | (long) node << SEQUENCE_BITS | sequence;
    }

    public Instant timestamp() {
        return EPOCH.plusMillis(epochMillis);
    }

    public String toName() {
        return String.format(Locale.ROOT, "%016x", value());
    }

    @Override
    public String toString() {
        return toName();
    }
}
