package io.datafabric.des.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Edits shard bytes the way a buggy or hostile writer would, re-sealing checksums so that the
 * reader's structural checks (not only its checksums) are exercised.
 */
final class Tamper {
    private Tamper() {}

    static Footer footer(byte[] shard) throws Exception {
        return Footer.decode(shard, shard.length, shard.length);
    }

    /** Replaces the footer with an edited one, with a valid footer checksum. */
    static byte[] withFooter(byte[] shard, UnaryOperator<Footer> edit) throws Exception {
        byte[] copy = shard.clone();
        byte[] footer = edit.apply(footer(shard)).encode();
        System.arraycopy(footer, 0, copy, copy.length - footer.length, footer.length);
        return copy;
    }

    /** Edits one INDEX slot, then fixes the INDEX checksum in a re-sealed footer. */
    static byte[] withSlot(byte[] shard, int slot, int fieldOffset, long value, int width)
            throws Exception {
        Footer f = footer(shard);
        byte[] copy = shard.clone();
        ByteBuffer buf = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        int at = (int) f.indexOffset() + slot * DesFormat.SLOT_LENGTH + fieldOffset;
        switch (width) {
            case 8 -> buf.putLong(at, value);
            case 4 -> buf.putInt(at, (int) value);
            case 2 -> buf.putShort(at, (short) value);
            default -> throw new IllegalArgumentException("width " + width);
        }
        int crc = Checksums.crc32c(copy, (int) f.indexOffset(), (int) f.indexLength());
        return withFooter(
                copy,
                old ->
                        new Footer(
                                old.objectLength(),
                                old.metaOffset(),
                                old.metaLength(),
                                old.indexOffset(),
                                old.indexLength(),
                                old.entryCount(),
                                old.metaCrc32c(),
                                crc,
                                old.requiredFeatures(),
                                old.optionalFeatures()));
    }

    /** Where META starts: everything from there to the end is structure. */
    static int footerStart(byte[] shard) {
        try {
            return (int) footer(shard).metaOffset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] truncate(byte[] shard, int length) {
        return Arrays.copyOf(shard, length);
    }

    static byte[] flip(byte[] shard, int position, int mask) {
        byte[] copy = shard.clone();
        copy[position] ^= (byte) mask;
        return copy;
    }
}
