package io.datafabric.des.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The 16-byte HEADER: magic, version, header length, CRC32C. Readers that locate everything from
 * the footer never need it; it lets tools recognise a DES object from its first bytes, and {@code
 * verify} checks it.
 */
public final class Header {
    private Header() {}

    public static byte[] encode() {
        ByteBuffer buf =
                ByteBuffer.allocate(DesFormat.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(DesFormat.HEADER_MAGIC);
        buf.putShort((short) DesFormat.VERSION);
        buf.putShort((short) DesFormat.HEADER_LENGTH);
        buf.putInt(Checksums.crc32c(buf.array(), 0, 12));
        return buf.array();
    }

    /** Checks the first 16 bytes of an object. */
    public static void check(byte[] bytes) throws DesFormatException {
        if (bytes.length < DesFormat.HEADER_LENGTH
                || !Arrays.equals(bytes, 0, 8, DesFormat.HEADER_MAGIC, 0, 8)) {
            throw new DesFormatException("header: wrong magic, not a DES object");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = Short.toUnsignedInt(buf.getShort(8));
        if (version != DesFormat.VERSION) {
            throw new DesFormatException(
                    "header: unsupported DES version "
                            + version
                            + " (this reader reads version "
                            + DesFormat.VERSION
                            + ")");
        }
        int length = Short.toUnsignedInt(buf.getShort(10));
        if (length != DesFormat.HEADER_LENGTH) {
            throw new DesFormatException("header: length " + length + ", expected 16");
        }
        int stored = buf.getInt(12);
        int actual = Checksums.crc32c(bytes, 0, 12);
        if (stored != actual) {
            throw new DesFormatException(
                    "header: checksum mismatch (stored "
                            + Checksums.hex(stored)
                            + ", computed "
                            + Checksums.hex(actual)
                            + ")");
        }
    }
}
