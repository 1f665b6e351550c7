package io.datafabric.des.format;

/**
 * One 40-byte INDEX slot (SPEC.md, "INDEX"), decoded.
 *
 * @param dataOffset absolute offset of the body in the object; 0 for a big file
 * @param size body length
 * @param metaOffset absolute offset of the file's META record
 * @param metaLength length of the META record
 * @param crc32c CRC32C of the body
 * @param nameOffset offset of the name in the INDEX name heap
 * @param nameLength length of the name in UTF-8 bytes
 * @param flags entry flags ({@link DesFormat#FLAG_BIG_FILE})
 */
public record IndexSlot(
        long dataOffset,
        long size,
        long metaOffset,
        int metaLength,
        int crc32c,
        long nameOffset,
        int nameLength,
        int flags) {

    public boolean bigFile() {
        return (flags & DesFormat.FLAG_BIG_FILE) != 0;
    }
}
