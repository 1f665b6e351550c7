package io.datafabric.des;

/**
 * One file in a shard as the INDEX knows it: enough to list the shard and to read the body.
 *
 * @param name the entry name
 * @param size body length in bytes
 * @param crc32c CRC32C of the body
 * @param bigFile whether the body lives in a side object ({@code _bigFiles/<name>}) rather than in
 *     the shard's DATA section
 */
public record DesEntry(String name, long size, int crc32c, boolean bigFile) {}
