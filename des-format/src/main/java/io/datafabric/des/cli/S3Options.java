package io.datafabric.des.cli;

import io.datafabric.des.io.S3Settings;
import picocli.CommandLine.Option;

/** S3 endpoint options shared by the subcommands; each defaults to its DF_S3_* variable. */
public final class S3Options {
    @Option(
            names = "--s3-endpoint",
            defaultValue = "${env:DF_S3_ENDPOINT}",
            description = "S3 endpoint URL, e.g. http://127.0.0.1:9000 (env DF_S3_ENDPOINT).")
    String endpoint;

    @Option(
            names = "--s3-access-key",
            defaultValue = "${env:DF_S3_ACCESS_KEY}",
            description = "S3 access key (env DF_S3_ACCESS_KEY).")
    String accessKey;

    @Option(
            names = "--s3-secret-key",
            defaultValue = "${env:DF_S3_SECRET_KEY}",
            description = "S3 secret key (env DF_S3_SECRET_KEY).")
    String secretKey;

    @Option(
            names = "--s3-region",
            defaultValue = "${env:DF_S3_REGION:-us-east-1}",
            description = "S3 region (env DF_S3_REGION, default ${DEFAULT-VALUE}).")
    String region;

    @Option(
            names = "--s3-path-style",
            arity = "1",
            defaultValue = "${env:DF_S3_PATH_STYLE:-true}",
            description = "Path-style addressing (env DF_S3_PATH_STYLE, default ${DEFAULT-VALUE}).")
    boolean pathStyle;

    S3Settings settings() {
        return new S3Settings(endpoint, accessKey, secretKey, region, pathStyle);
    }
}
