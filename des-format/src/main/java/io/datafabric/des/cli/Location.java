package io.datafabric.des.cli;

import java.nio.file.Path;

/**
 * A shard location on the command line: {@code s3://bucket/key} or a local path.
 *
 * @param bucket S3 bucket, null for a local path
 * @param key S3 key, null for a local path
 * @param path local path, null for S3
 */
record Location(String bucket, String key, Path path) {
    static Location parse(String text) {
        if (text.startsWith("s3://")) {
            String rest = text.substring("s3://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new IllegalArgumentException(
                        "S3 location must look like s3://bucket/key: " + text);
            }
            return new Location(rest.substring(0, slash), rest.substring(slash + 1), null);
        }
        return new Location(null, null, Path.of(text));
    }

    boolean isS3() {
        return bucket != null;
    }

    @Override
    public String toString() {
        return isS3() ? "s3://" + bucket + "/" + key : path.toString();
    }
}
