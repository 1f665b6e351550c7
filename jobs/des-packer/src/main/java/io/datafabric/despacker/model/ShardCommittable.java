package io.datafabric.despacker.model;

import java.util.List;

/**
 * What closing one shard produced, to be recorded once the checkpoint that contains it completes:
 * the written object (if any file made it in) and the files that failed.
 *
 * @param source the source (master system)
 * @param shard the shard id
 * @param seq sequence of the object within (source, shard); -1 when no object was written
 * @param objectKey key of the object relative to the archive root; empty when none was written
 * @param objectUri full URI of the object (archive root + key); empty when none was written
 * @param objectSize length of the object in bytes
 * @param checksum CRC32C of the whole object, {@code crc32c:xxxxxxxx}
 * @param files the files in the object, in the order they were written
 * @param failed the files that could not be packed
 */
public record ShardCommittable(
        String source,
        int shard,
        long seq,
        String objectKey,
        String objectUri,
        long objectSize,
        String checksum,
        List<PackedFile> files,
        List<FailedFile> failed) {

    public ShardCommittable {
        files = List.copyOf(files);
        failed = List.copyOf(failed);
    }

    /** Whether an object was written (at least one file packed). */
    public boolean hasObject() {
        return !files.isEmpty();
    }
}
