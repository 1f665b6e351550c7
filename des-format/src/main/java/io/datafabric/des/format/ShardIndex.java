package io.datafabric.des.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The parsed tail of one shard: footer, META and INDEX, kept as the raw bytes of the two adjacent
 * sections (META then INDEX, exactly as stored). Raw bytes make the in-memory form as compact as
 * the on-disk one (that is what the index cache weighs), and binary search runs straight over the
 * sorted slots. Every slot is validated once at load, so later lookups can trust offsets and
 * lengths. Immutable and safe to share between threads.
 */
public final class ShardIndex {
    private static final VarHandle I64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16 =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final Footer footer;
    // META followed by INDEX; slot offsets below are into this array.
    private final byte[] bytes;
    private final int indexStart;
    private final int count;
    private final int heapStart;

    private ShardIndex(Footer footer, byte[] bytes) {
        this.footer = footer;
        this.bytes = bytes;
        this.indexStart = (int) footer.metaLength();
        this.count = (int) footer.entryCount();
        this.heapStart = indexStart + count * DesFormat.SLOT_LENGTH;
    }

    /**
     * Checks META and INDEX, given as {@code bytes} = META followed by INDEX, against the footer's
     * checksums and validates every slot: known flags, body inside DATA, META record inside META,
     * name inside the name heap, names in strictly ascending order.
     */
    public static ShardIndex load(Footer footer, byte[] bytes) throws DesFormatException {
        if (bytes.length != footer.metaLength() + footer.indexLength()) {
            throw new IllegalArgumentException("section lengths differ from the footer");
        }
        int metaLength = (int) footer.metaLength();
        int metaCrc = Checksums.crc32c(bytes, 0, metaLength);
        if (metaCrc != footer.metaCrc32c()) {
            throw new DesFormatException(
                    "META checksum mismatch (stored "
                            + Checksums.hex(footer.metaCrc32c())
                            + ", computed "
                            + Checksums.hex(metaCrc)
                            + ")");
        }
        int indexCrc = Checksums.crc32c(bytes, metaLength, bytes.length - metaLength);
        if (indexCrc != footer.indexCrc32c()) {
            throw new DesFormatException(
                    "INDEX checksum mismatch (stored "
                            + Checksums.hex(footer.indexCrc32c())
                            + ", computed "
                            + Checksums.hex(indexCrc)
                            + ")");
        }
        ShardIndex shard = new ShardIndex(footer, bytes);
        shard.validateSlots();
        return shard;
    }

    private void validateSlots() throws DesFormatException {
        long heapLength = bytes.length - (long) heapStart;
        long dataEnd = footer.metaOffset();
        int previousStart = -1;
        int previousLength = 0;
        for (int i = 0; i < count; i++) {
            IndexSlot s = slot(i);
            if ((s.flags() & ~DesFormat.KNOWN_ENTRY_FLAGS) != 0) {
                throw slotError(i, "unknown flags 0x" + Integer.toHexString(s.flags()));
            }
            if (s.size() < 0) {
                throw slotError(i, "negative size");
            }
            if (s.bigFile()) {
                if (s.dataOffset() != 0) {
                    throw slotError(i, "big file with a data offset");
                }
            } else if (s.dataOffset() < DesFormat.HEADER_LENGTH
                    || s.dataOffset() > dataEnd
                    || s.size() > dataEnd - s.dataOffset()) {
                throw slotError(
                        i, "body [" + s.dataOffset() + ", +" + s.size() + ") lies outside DATA");
            }
            if (s.metaLength() < DesFormat.MIN_META_RECORD_BYTES
                    || s.metaOffset() < footer.metaOffset()
                    || s.metaOffset() - footer.metaOffset()
                            > footer.metaLength() - s.metaLength()) {
                throw slotError(
                        i,
                        "META record ["
                                + s.metaOffset()
                                + ", +"
                                + Integer.toUnsignedString(s.metaLength())
                                + ") lies outside META");
            }
            if (s.nameLength() == 0 || s.nameOffset() > heapLength - s.nameLength()) {
                throw slotError(i, "name lies outside the name heap");
            }
            int start = heapStart + (int) s.nameOffset();
            if (previousStart >= 0
                    && Arrays.compareUnsigned(
                                    bytes,
                                    previousStart,
                                    previousStart + previousLength,
                                    bytes,
                                    start,
                                    start + s.nameLength())
                            >= 0) {
                throw slotError(i, "names are not in strictly ascending order");
            }
            previousStart = start;
            previousLength = s.nameLength();
        }
    }

    private static DesFormatException slotError(int slot, String problem) {
        return new DesFormatException("INDEX slot " + slot + ": " + problem);
    }

    public Footer footer() {
        return footer;
    }

    public int entryCount() {
        return count;
    }

    /** Bytes this index holds on the heap, as the index cache weighs it. */
    public long weight() {
        return bytes.length + 128L;
    }

    public IndexSlot slot(int i) {
        int at = indexStart + i * DesFormat.SLOT_LENGTH;
        return new IndexSlot(
                (long) I64.get(bytes, at),
                (long) I64.get(bytes, at + 8),
                (long) I64.get(bytes, at + 16),
                (int) I32.get(bytes, at + 24),
                (int) I32.get(bytes, at + 28),
                Integer.toUnsignedLong((int) I32.get(bytes, at + 32)),
                Short.toUnsignedInt((short) I16.get(bytes, at + 36)),
                Short.toUnsignedInt((short) I16.get(bytes, at + 38)));
    }

    /** Binary search for a name given as UTF-8 bytes; returns the slot or -1. */
    public int find(byte[] name) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int at = indexStart + mid * DesFormat.SLOT_LENGTH;
            int start = heapStart + (int) I32.get(bytes, at + 32);
            int length = Short.toUnsignedInt((short) I16.get(bytes, at + 36));
            int cmp = Arrays.compareUnsigned(bytes, start, start + length, name, 0, name.length);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    public String name(int i) throws DesFormatException {
        IndexSlot s = slot(i);
        try {
            return EntryNames.decode(bytes, heapStart + (int) s.nameOffset(), s.nameLength());
        } catch (EntryNames.InvalidNameException e) {
            throw slotError(i, "invalid name: " + e.getMessage());
        }
    }

    /**
     * The META record of slot {@code i}, checked against the slot: same name, size, checksum and
     * flags, and a valid side-object reference for big files.
     */
    public MetaRecord meta(int i) throws DesFormatException {
        IndexSlot s = slot(i);
        String name = name(i);
        int start = (int) (s.metaOffset() - footer.metaOffset());
        MetaRecord record;
        try {
            record = MetaRecord.decode(bytes, start, s.metaLength());
        } catch (DesFormatException e) {
            throw new DesFormatException("entry '" + name + "': " + e.getMessage());
        }
        if (!record.name().equals(name)
                || record.size() != s.size()
                || record.crc32c() != s.crc32c()
                || record.flags() != s.flags()) {
            throw new DesFormatException(
                    "entry '" + name + "': META record disagrees with its INDEX slot");
        }
        boolean hasRef = !record.bigFileRef().isEmpty();
        if (hasRef != s.bigFile() || (hasRef && EntryNames.problem(record.bigFileRef()) != null)) {
            throw new DesFormatException(
                    "entry '" + name + "': missing, unexpected or unsafe big file reference");
        }
        return record;
    }
}
