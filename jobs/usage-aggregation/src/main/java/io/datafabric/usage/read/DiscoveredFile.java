package io.datafabric.usage.read;

/** A complete file found in the input directory or announced by a notification. */
public record DiscoveredFile(String path, long size, long mtimeMillis) {}
