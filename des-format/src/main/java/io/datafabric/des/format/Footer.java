package io.datafabric.des.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The fixed 80-byte FOOTER at the very end of a DES object (SPEC.md, "FOOTER"). One tail read gives
 * a reader everything it needs to locate META and INDEX and to check them.
 *
 * @param objectLength total length of the object, so a truncated or extended object is detected
 * @param metaOffset absolute offset of META
 * @param metaLength length of META in bytes
 * @param indexOffset absolute offset of INDEX, always {@code metaOffset + metaLength}
 * @param indexLength length of INDEX in bytes; INDEX ends where the footer starts
 * @param entryCount number of entries (slots in INDEX)
 * @param metaCrc32c CRC32C of META
 * @param indexCrc32c CRC32C of INDEX
 * @param requiredFeatures feature bits a reader must understand to read this object
 * @param optionalFeatures feature bits a reader may ignore
 */
public record Footer(
        long objectLength,
        long metaOffset,
        long metaLength,
        long indexOffset,
        long indexLength,
        long entryCount,
        int metaCrc32c,
        int indexCrc32c,
        int requiredFeatures,
        int optionalFeatures) {

    public byte[] encode() {
        ByteBuffer buf =
                ByteBuffer.allocate(DesFormat.FOOTER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(objectLength)
                .putLong(metaOffset)
                .putLong(metaLength)
                .putLong(indexOffset)
                .putLong(indexLength)
                .putLong(entryCount)
                .putInt(metaCrc32c)
                .putInt(indexCrc32c)
                .putInt(requiredFeatures)
                .putInt(optionalFeatures)
                .putShort((short) DesFormat.VERSION)
                .putShort((short) DesFormat.FOOTER_LENGTH);
        buf.putInt(Checksums.crc32c(buf.array(), 0, 68));
        buf.put(DesFormat.FOOTER_MAGIC);
        return buf.array();
    }

    /**
     * Decodes and validates the footer that ends at {@code bytes[end]}, for an object of {@code
     * actualLength} bytes. Checks, in order: magic, version, footer length, footer checksum,
     * required features, object length, and that META, INDEX and the footer tile the tail of the
     * object exactly.
     */
    public static Footer decode(byte[] bytes, int end, long actualLength)
            throws DesFormatException {
        if (actualLength < DesFormat.MIN_OBJECT_LENGTH) {
            throw new DesFormatException(
                    "truncated: object is "
                            + actualLength
                            + " bytes, smaller than the smallest DES object ("
                            + DesFormat.MIN_OBJECT_LENGTH
                            + " bytes)");
        }
        int start = end - DesFormat.FOOTER_LENGTH;
        if (!Arrays.equals(
                bytes, end - 8, end, DesFormat.FOOTER_MAGIC, 0, DesFormat.FOOTER_MAGIC.length)) {
            throw new DesFormatException(
                    "footer: wrong magic at the end of the object (not a DES object, or truncated)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = Short.toUnsignedInt(buf.getShort(start + 64));
        if (version != DesFormat.VERSION) {
            throw new DesFormatException(
                    "footer: unsupported DES version "
                            + version
                            + " (this reader reads version "
                            + DesFormat.VERSION
                            + ")");
        }
        int footerLength = Short.toUnsignedInt(buf.getShort(start + 66));
        if (footerLength != DesFormat.FOOTER_LENGTH) {
            throw new DesFormatException(
                    "footer: length " + footerLength + ", expected " + DesFormat.FOOTER_LENGTH);
        }
        int stored = buf.getInt(start + 68);
        int actual = Checksums.crc32c(bytes, start, 68);
        if (stored != actual) {
            throw new DesFormatException(
                    "footer: checksum mismatch (stored "
                            + Checksums.hex(stored)
                            + ", computed "
                            + Checksums.hex(actual)
                            + ")");
        }
        Footer footer =
                new Footer(
                        buf.getLong(start),
                        buf.getLong(start + 8),
                        buf.getLong(start + 16),
                        buf.getLong(start + 24),
                        buf.getLong(start + 32),
                        buf.getLong(start + 40),
                        buf.getInt(start + 48),
                        buf.getInt(start + 52),
                        buf.getInt(start + 56),
                        buf.getInt(start + 60));
        footer.validate(actualLength);
        return footer;
    }

    private void validate(long actualLength) throws DesFormatException {
        int unknown = requiredFeatures & ~DesFormat.KNOWN_REQUIRED_FEATURES;
        if (unknown != 0) {
            throw new DesFormatException(
                    "footer: object requires features 0x"
                            + Integer.toHexString(unknown)
                            + " that this DES v1 reader does not support");
        }
        if (objectLength != actualLength) {
            throw new DesFormatException(
                    "footer: records an object of "
                            + objectLength
                            + " bytes but the object is "
                            + actualLength
                            + " bytes (truncated or appended to)");
        }
        long tailStart = actualLength - DesFormat.FOOTER_LENGTH;
        // Each value is checked against the object before any sum, so no sum can overflow.
        if (metaOffset < DesFormat.HEADER_LENGTH
                || metaOffset > tailStart
                || metaLength < 0
                || metaLength > tailStart - metaOffset
                || indexOffset != metaOffset + metaLength
                || indexLength < 0
                || indexOffset + indexLength != tailStart) {
            throw new DesFormatException(
                    "footer: META ["
                            + metaOffset
                            + ", +"
                            + metaLength
                            + ") and INDEX ["
                            + indexOffset
                            + ", +"
                            + indexLength
                            + ") do not fit an object of "
                            + actualLength
                            + " bytes");
        }
        if (entryCount < 0 || entryCount > indexLength / DesFormat.SLOT_LENGTH) {
            throw new DesFormatException(
                    "footer: entry count "
                            + entryCount
                            + " does not fit an INDEX of "
                            + indexLength
                            + " bytes");
        }
    }

    /** Start of DATA's end: the first byte after the last inline body. */
    public long dataEnd() {
        return metaOffset;
    }
}
