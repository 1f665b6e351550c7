package io.datafabric.despacker.model;

/**
 * A file the packer could not pack, and why: it is set to the failed status of its master.
 *
 * @param ref the master row
 * @param reason one line, e.g. {@code missing in source storage}
 */
public record FailedFile(FileRef ref, String reason) {}
