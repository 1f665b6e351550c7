package io.datafabric.des.io;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * How to reach an S3-compatible store. Empty endpoint means AWS itself; empty keys mean the SDK's
 * default credentials chain.
 *
 * @param endpoint e.g. {@code http://127.0.0.1:9000}; empty for AWS
 * @param accessKey access key id, or empty
 * @param secretKey secret key, or empty
 * @param region signing region
 * @param pathStyle path-style addressing ({@code host/bucket/key}), which most non-AWS stores need
 */
public record S3Settings(
        String endpoint, String accessKey, String secretKey, String region, boolean pathStyle) {
    public static final String ENV_ENDPOINT = "DF_S3_ENDPOINT";
    public static final String ENV_ACCESS_KEY = "DF_S3_ACCESS_KEY";
    public static final String ENV_SECRET_KEY = "DF_S3_SECRET_KEY";
    public static final String ENV_REGION = "DF_S3_REGION";
    public static final String ENV_PATH_STYLE = "DF_S3_PATH_STYLE";

    public S3Settings {
        endpoint = endpoint == null ? "" : endpoint.trim();
        accessKey = accessKey == null ? "" : accessKey;
        secretKey = secretKey == null ? "" : secretKey;
        region = region == null || region.isBlank() ? "us-east-1" : region.trim();
    }

    /** Settings from {@code DF_S3_*} variables, with region us-east-1 and path style by default. */
    public static S3Settings fromEnvironment(Map<String, String> env) {
        String pathStyle = env.getOrDefault(ENV_PATH_STYLE, "true");
        return new S3Settings(
                env.get(ENV_ENDPOINT),
                env.get(ENV_ACCESS_KEY),
                env.get(ENV_SECRET_KEY),
                env.get(ENV_REGION),
                !pathStyle.trim().equalsIgnoreCase("false"));
    }

    /** A new client; the caller closes it. */
    public S3Client newClient() {
        var builder =
                S3Client.builder()
                        .region(Region.of(region))
                        .serviceConfiguration(
                                S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
                        .httpClient(UrlConnectionHttpClient.create());
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        if (!accessKey.isEmpty()) {
            builder.credentialsProvider(
                    StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(accessKey, secretKey)));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.create());
        }
        return builder.build();
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "S3Settings[endpoint="
                + endpoint
                + ", accessKey="
                + accessKey
                + ", region="
                + region
                + ", pathStyle="
                + pathStyle
                + "]";
    }
}
