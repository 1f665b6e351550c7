package io.datafabric.drms.validate;

/**
 * Row count and order-independent checksum of a set of rows: the sum (mod 2^64) of {@link
 * RowHasher#hash(Object[])} over the rows. Equal data gives equal values whichever database holds
 * it and in whatever order rows are read; a sum (unlike XOR) also tells duplicated rows apart.
 */
public record WindowChecksum(long count, long checksum) {
    public static final WindowChecksum EMPTY = new WindowChecksum(0, 0);

    /** This window with one more row of hash {@code rowHash}. */
    public WindowChecksum plus(long rowHash) {
        return new WindowChecksum(count + 1, checksum + rowHash);
    }

    /** The union of two disjoint windows (counts and checksums add up). */
    public WindowChecksum plus(WindowChecksum other) {
        return new WindowChecksum(count + other.count, checksum + other.checksum);
    }

    /** The checksum as 16 hex digits. */
    public String checksumHex() {
        return String.format("%016x", checksum);
    }

    @Override
    public String toString() {
        return count + " rows, checksum " + checksumHex();
    }
}
