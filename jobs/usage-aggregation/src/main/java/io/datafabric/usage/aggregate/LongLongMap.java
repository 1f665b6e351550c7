package io.datafabric.usage.aggregate;

import java.util.Arrays;

/**
 * A map from non-negative {@code long} keys to {@code long} sums: open addressing with linear
 * probing over two primitive arrays, so adding a line costs no allocation and no boxing.
 *
 * <p>Keys must be non-negative (consumer ids are): {@link Long#MIN_VALUE} marks a free slot.
 */
public final class LongLongMap {
    private static final long FREE = Long.MIN_VALUE;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long[] keys;
    private long[] values;
    private int shift;
    private int mask;
    private int size;
    private int threshold;

    /** A map sized for about {@code expected} entries before it grows. */
    public LongLongMap(int expected) {
        allocate(capacityFor(Math.max(16, expected)));
    }

    /**
     * Adds {@code delta} to the sum of {@code key}.
     *
     * @return false, leaving the sum unchanged, when the new sum would overflow a signed long
     */
    public boolean add(long key, long delta) {
        long[] k = keys;
        int i = (int) ((key * GOLDEN) >>> shift);
        while (true) {
            long current = k[i];
            if (current == key) {
                long sum = values[i] + delta;
                if (((values[i] ^ sum) & (delta ^ sum)) < 0) {
                    return false;
                }
                values[i] = sum;
                return true;
            }
            if (current == FREE) {
                k[i] = key;
                values[i] = delta;
                if (++size > threshold) {
                    grow();
                }
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /** The sum of a key, or {@code absent} when the key is not in the map. */
    public long get(long key, long absent) {
        int i = (int) ((key * GOLDEN) >>> shift);
        while (true) {
            long current = keys[i];
            if (current == key) {
                return values[i];
            }
            if (current == FREE) {
                return absent;
            }
            i = (i + 1) & mask;
        }
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Bytes held by the two arrays. */
    public long memoryBytes() {
        return 16L * keys.length;
    }

    /** Removes every entry, keeping the arrays (so a reused map does not allocate). */
    public void clear() {
        if (size > 0) {
            Arrays.fill(keys, FREE);
            size = 0;
        }
    }

    /** Calls {@code visitor} for every entry, in no particular order. */
    public void forEach(EntryVisitor visitor) {
        long[] k = keys;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != FREE) {
                visitor.visit(k[i], values[i]);
            }
        }
    }

    /** Copies the keys and sums into new arrays of exactly {@link #size()} entries. */
    public long[][] toArrays() {
        long[] outKeys = new long[size];
        long[] outValues = new long[size];
        int n = 0;
        long[] k = keys;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != FREE) {
                outKeys[n] = k[i];
                outValues[n] = values[i];
                n++;
            }
        }
        return new long[][] {outKeys, outValues};
    }

    /** Receives one entry. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long key, long value);
    }

    private static int capacityFor(int expected) {
        long needed = (long) expected * 2;
        if (needed > (1 << 30)) {
            throw new IllegalArgumentException("map too large: " + expected + " entries");
        }
        return Integer.highestOneBit((int) Math.max(16, needed - 1)) << 1;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, FREE);
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        threshold = capacity / 2;
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            long key = oldKeys[j];
            if (key != FREE) {
                int i = (int) ((key * GOLDEN) >>> shift);
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = key;
                values[i] = oldValues[j];
                size++;
            }
        }
    }
}
