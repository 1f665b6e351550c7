package io.datafabric.des.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One META record (SPEC.md, "META"): the name, size, body checksum, flags, content type, side
 * object reference and user key/values of one file.
 *
 * @param name entry name
 * @param size body length
 * @param crc32c CRC32C of the body
 * @param flags entry flags, equal to the INDEX slot's
 * @param contentType media type, empty when unknown
 * @param bigFileRef side-object key relative to the shard's directory; empty for inline bodies
 * @param attributes user key/values, ordered by the UTF-8 bytes of the keys
 */
public record MetaRecord(
        String name,
        long size,
        int crc32c,
        int flags,
        String contentType,
        String bigFileRef,
        Map<String, String> attributes) {

    public byte[] encode() {
        byte[] nameBytes = utf8(name);
        byte[] typeBytes = utf8(contentType);
        byte[] refBytes = utf8(bigFileRef);
        List<byte[]> attributeBytes = new ArrayList<>(attributes.size() * 2);
        int length =
                2 + nameBytes.length + 8 + 4 + 2 + 2 + typeBytes.length + 2 + refBytes.length + 2;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            byte[] key = utf8(attribute.getKey());
            byte[] value = utf8(attribute.getValue());
            attributeBytes.add(key);
            attributeBytes.add(value);
            length += 2 + key.length + 4 + value.length;
        }
        if (length > DesFormat.MAX_META_RECORD_BYTES) {
            throw new IllegalArgumentException(
                    "metadata of '"
                            + name
                            + "' takes "
                            + length
                            + " bytes, more than the "
                            + DesFormat.MAX_META_RECORD_BYTES
                            + " a META record may hold");
        }
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        putU16(out, nameBytes.length).put(nameBytes);
        out.putLong(size).putInt(crc32c);
        putU16(out, flags);
        putU16(out, typeBytes.length).put(typeBytes);
        putU16(out, refBytes.length).put(refBytes);
        putU16(out, attributes.size());
        for (int i = 0; i < attributeBytes.size(); i += 2) {
            putU16(out, attributeBytes.get(i).length).put(attributeBytes.get(i));
            out.putInt(attributeBytes.get(i + 1).length).put(attributeBytes.get(i + 1));
        }
        return out.array();
    }

    /**
     * Decodes the record at {@code bytes[offset, offset + length)}; every length inside it is
     * checked against the record before use, and the record must be consumed exactly.
     */
    public static MetaRecord decode(byte[] bytes, int offset, int length)
            throws DesFormatException {
        Cursor in = new Cursor(bytes, offset, length);
        String name = in.string(in.u16(), "name");
        long size = in.i64();
        int crc = in.i32();
        int flags = in.u16();
        String contentType = in.string(in.u16(), "content type");
        String ref = in.string(in.u16(), "big file reference");
        int count = in.u16();
        Map<String, String> attributes = new LinkedHashMap<>();
        byte[] previousKey = null;
        for (int i = 0; i < count; i++) {
            int keyLength = in.u16();
            int keyStart = in.position;
            String key = in.string(keyLength, "attribute key");
            byte[] keyBytes = java.util.Arrays.copyOfRange(bytes, keyStart, keyStart + keyLength);
            if (keyLength == 0
                    || (previousKey != null && EntryNames.compare(previousKey, keyBytes) >= 0)) {
                throw new DesFormatException(
                        "META record of '"
                                + name
                                + "': attribute keys are empty, unsorted or repeated");
            }
            previousKey = keyBytes;
            long valueLength = Integer.toUnsignedLong(in.i32());
            attributes.put(key, in.string(valueLength, "attribute value"));
        }
        if (in.position != offset + length) {
            throw new DesFormatException(
                    "META record of '"
                            + name
                            + "': "
                            + (offset + length - in.position)
                            + " unexpected trailing bytes");
        }
        if (size < 0) {
            throw new DesFormatException("META record of '" + name + "': negative size");
        }
        return new MetaRecord(
                name, size, crc, flags, contentType, ref, Collections.unmodifiableMap(attributes));
    }

    /**
     * Validates user attributes and returns an unmodifiable copy ordered as they are stored: by the
     * unsigned UTF-8 bytes of the keys.
     */
    public static Map<String, String> sortedAttributes(Map<String, String> attributes) {
        List<Map.Entry<byte[], Map.Entry<String, String>>> sorted = new ArrayList<>();
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String key = attribute.getKey();
            String value = attribute.getValue();
            if (key == null || key.isEmpty() || value == null) {
                throw new IllegalArgumentException(
                        "attribute keys must be non-empty, values non-null");
            }
            byte[] keyBytes = utf8(key);
            if (keyBytes.length > DesFormat.MAX_ATTRIBUTE_KEY_BYTES
                    || utf8(value).length > DesFormat.MAX_ATTRIBUTE_VALUE_BYTES) {
                throw new IllegalArgumentException(
                        "attribute '" + key + "': key or value too long (see SPEC.md limits)");
            }
            sorted.add(Map.entry(keyBytes, Map.entry(key, value)));
        }
        if (sorted.size() > 0xFFFF) {
            throw new IllegalArgumentException("more than 65535 attributes");
        }
        sorted.sort((a, b) -> EntryNames.compare(a.getKey(), b.getKey()));
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<byte[], Map.Entry<String, String>> entry : sorted) {
            result.put(entry.getValue().getKey(), entry.getValue().getValue());
        }
        return Collections.unmodifiableMap(result);
    }

    /** Strict UTF-8: a string with an unpaired surrogate would not read back as written. */
    static byte[] utf8(String text) {
        try {
            return Utf8.encode(text);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "text contains an unpaired surrogate and cannot be stored as UTF-8");
        }
    }

    /** Length of the encoded record, without encoding it. */
    static int encodedLength(
            int nameBytes, int contentTypeBytes, int refBytes, Map<String, String> attributes) {
        int length = 2 + nameBytes + 8 + 4 + 2 + 2 + contentTypeBytes + 2 + refBytes + 2;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            length += 2 + utf8(attribute.getKey()).length + 4 + utf8(attribute.getValue()).length;
        }
        return length;
    }

    /**
     * The largest META record an entry with this name and metadata can have (the form with a
     * big-file reference), so a writer can refuse it before writing its body.
     */
    public static int maxEncodedLength(
            byte[] name, String contentType, Map<String, String> attributes) {
        return encodedLength(
                name.length * 2 + DesFormat.BIG_FILES_DIR.length(),
                utf8(contentType).length,
                0,
                attributes);
    }

    private static ByteBuffer putU16(ByteBuffer out, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("length " + value + " does not fit 16 bits");
        }
        return out.putShort((short) value);
    }

    /** Bounds-checked little-endian reads inside one record. */
    private static final class Cursor {
        private final ByteBuffer buf;
        private final int end;
        private int position;

        Cursor(byte[] bytes, int offset, int length) {
            this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            this.position = offset;
            this.end = offset + length;
        }

        private void need(long n, String what) throws DesFormatException {
            if (n > end - position) {
                throw new DesFormatException(
                        "META record: " + what + " runs past the end of the record");
            }
        }

        int u16() throws DesFormatException {
            need(2, "a length");
            int v = Short.toUnsignedInt(buf.getShort(position));
            position += 2;
            return v;
        }

        int i32() throws DesFormatException {
            need(4, "a 32-bit field");
            int v = buf.getInt(position);
            position += 4;
            return v;
        }

        long i64() throws DesFormatException {
            need(8, "the size");
            long v = buf.getLong(position);
            position += 8;
            return v;
        }

        String string(long length, String what) throws DesFormatException {
            need(length, what);
            try {
                String s = Utf8.decode(buf.array(), position, (int) length);
                position += (int) length;
                return s;
            } catch (CharacterCodingException e) {
                throw new DesFormatException("META record: " + what + " is not valid UTF-8");
            }
        }
    }
}
