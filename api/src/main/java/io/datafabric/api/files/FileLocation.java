package io.datafabric.api.files;

/**
 * Where a packed file's body lives: the byte range {@code [offset, offset + length)} of a shard
 * object, with the checksum and content type recorded when it was packed ({@code des.files}).
 */
public record FileLocation(
        String name,
        String objectKey,
        long offset,
        long length,
        String checksum,
        String contentType) {}
