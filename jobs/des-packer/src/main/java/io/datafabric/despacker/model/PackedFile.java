package io.datafabric.despacker.model;

/**
 * One file written into a shard object: where its body sits and its CRC32C.
 *
 * @param ref the master row it came from
 * @param offset offset of the body inside the shard object
 * @param length body length
 * @param crc32c CRC32C of the body
 */
public record PackedFile(FileRef ref, long offset, long length, int crc32c) {

    /** The checksum as stored in {@code des.files.checksum}. */
    public String checksum() {
        return String.format(java.util.Locale.ROOT, "crc32c:%08x", crc32c);
    }
}
