package io.datafabric.des;

/**
 * What {@link DesReader#verify()} checked, all of it successfully.
 *
 * @param entries files in the shard
 * @param inlineBytes body bytes read from the shard's DATA section
 * @param bigFiles side objects read
 * @param bigFileBytes body bytes read from side objects
 */
public record VerifyReport(long entries, long inlineBytes, long bigFiles, long bigFileBytes) {}
