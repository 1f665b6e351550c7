package io.datafabric.despacker.model;

/**
 * A reference to one marked file of a master system: what the packer keeps in Flink state instead
 * of the file's bytes.
 *
 * @param source name of the source (master system) in the configuration
 * @param id the master row's id, as text (bound back with the column's type)
 * @param path URI of the file in the source storage ({@code file://...} or {@code s3://...})
 * @param size size the master row declares, in bytes
 * @param desName the snowflake DES name the marker assigned
 * @param shard the shard the name routes to
 */
public record FileRef(String source, String id, String path, long size, String desName, int shard) {

    /** The key the packer groups by: one open shard object per source and shard. */
    public String shardKey() {
        return source + "#" + shard;
    }
}
