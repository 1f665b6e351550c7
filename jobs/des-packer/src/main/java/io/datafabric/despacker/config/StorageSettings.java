package io.datafabric.despacker.config;

import java.io.Serializable;

/**
 * Where a source's files live. Every file path of the source must lie under {@code root} (a {@code
 * file:///dir/} or {@code s3://bucket/prefix/} URI), so a master row can never make the packer read
 * (or, with deletion of originals on, delete) anything else. S3 sources are read with their own
 * client, so each source may use its own endpoint and credentials.
 */
public record StorageSettings(
        String root,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Region,
        boolean s3PathStyle)
        implements Serializable {

    public boolean isS3() {
        return root.startsWith("s3://");
    }

    /** Never prints the secret key. */
    @Override
    public String toString() {
        return "StorageSettings[root="
                + root
                + ", s3Endpoint="
                + s3Endpoint
                + ", s3AccessKey="
                + s3AccessKey
                + ", s3SecretKey="
                + (s3SecretKey == null || s3SecretKey.isEmpty() ? "" : "***")
                + ", s3Region="
                + s3Region
                + "]";
    }
}
