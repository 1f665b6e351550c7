package io.datafabric.usage.aggregate;

/**
 * A map from non-negative {@code long} keys to {@code long} sums: open addressing with linear
 * probing over two primitive arrays, so adding a line costs no allocation and no boxing.
 *
 * <p>Keys must be non-negative (consumer ids are): {@link Long#MIN_VALUE} marks a free slot.
 */
public final class LongLongMap {
    private static final long FREE = Long.MIN_VALUE;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    // key at 2i, its sum at 2i+1: a probe touches one cache line, not two
    private long[] table;
    private int shift;
    private int mask;
    private int size;
    private int threshold;
    // written by prefetch(), so the JIT keeps its loads
    private long prefetched;

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
        long[] t = table;
        int i = (int) ((key * GOLDEN) >>> shift) << 1;
        while (true) {
            long current = t[i];
            if (current == key) {
                long old = t[i + 1];
                long sum = old + delta;
                if (((old ^ sum) & (delta ^ sum)) < 0) {
                    return false;
                }
                t[i + 1] = sum;
                return true;
            }
            if (current == FREE) {
                t[i] = key;
                t[i + 1] = delta;
                if (++size > threshold) {
                    grow();
                }
                return true;
            }
            i = (i + 2) & mask;
        }
    }

    /**
     * Loads the first probe slot of each of the first {@code n} keys, so that the cache misses of
     * the adds that follow overlap: the loads are independent of one another, the probes of
     * successive adds are not. Changes nothing.
     */
    public void prefetch(long[] keys, int n) {
        long[] t = table;
        int s = shift;
        long seen = 0;
        for (int j = 0; j < n; j++) {
            seen ^= t[(int) ((keys[j] * GOLDEN) >>> s) << 1];
        }
        prefetched = seen;
    }

    /** The sum of a key, or {@code absent} when the key is not in the map. */
    public long get(long key, long absent) {
        int i = (int) ((key * GOLDEN) >>> shift) << 1;
        while (true) {
            long current = table[i];
            if (current == key) {
                return table[i + 1];
            }
            if (current == FREE) {
                return absent;
            }
            i = (i + 2) & mask;
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
        return 8L * table.length;
    }

    /** Removes every entry, keeping the arrays (so a reused map does not allocate). */
    public void clear() {
        if (size > 0) {
            long[] t = table;
            for (int i = 0; i < t.length; i += 2) {
                t[i] = FREE;
            }
            size = 0;
        }
    }

    /** Calls {@code visitor} for every entry, in no particular order. */
    public void forEach(EntryVisitor visitor) {
        long[] t = table;
        for (int i = 0; i < t.length; i += 2) {
            if (t[i] != FREE) {
                visitor.visit(t[i], t[i + 1]);
            }
        }
    }

    /** Copies the keys and sums into new arrays of exactly {@link #size()} entries. */
    public long[][] toArrays() {
        long[] outKeys = new long[size];
        long[] outValues = new long[size];
        int n = 0;
        long[] t = table;
        for (int i = 0; i < t.length; i += 2) {
            if (t[i] != FREE) {
                outKeys[n] = t[i];
                outValues[n] = t[i + 1];
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
        long needed = (long) expected * 4 / 3 + 1;
        if (needed > (1 << 29)) {
            throw new IllegalArgumentException("map too large: " + expected + " entries");
        }
        return Integer.highestOneBit((int) Math.max(16, needed - 1)) << 1;
    }

    private void allocate(int capacity) {
        table = new long[capacity * 2];
        for (int i = 0; i < table.length; i += 2) {
            table[i] = FREE;
        }
        mask = capacity * 2 - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        threshold = capacity / 4 * 3; // linear probing stays short up to 3/4 full
        size = 0;
    }

    private void grow() {
        long[] old = table;
        allocate(old.length); // twice the slots: old.length holds two longs per slot
        for (int j = 0; j < old.length; j += 2) {
            long key = old[j];
            if (key != FREE) {
                int i = (int) ((key * GOLDEN) >>> shift) << 1;
                while (table[i] != FREE) {
                    i = (i + 2) & mask;
                }
                table[i] = key;
                table[i + 1] = old[j + 1];
                size++;
            }
        }
    }
}
