package io.datafabric.despacker.pack;

import io.datafabric.des.io.S3Settings;
import io.datafabric.despacker.config.StorageSettings;
import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Source files in an S3 bucket under a prefix, read with the source's own client. */
final class S3SourceStorage implements SourceStorage {
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(30);

    private final String bucket;
    private final String prefix;
    private final S3Client client;

    S3SourceStorage(StorageSettings settings) {
        String rest = settings.root().substring("s3://".length());
        int slash = rest.indexOf('/');
        this.bucket = slash < 0 ? rest : rest.substring(0, slash);
        this.prefix = slash < 0 ? "" : rest.substring(slash + 1);
        this.client =
                new S3Settings(
                                settings.s3Endpoint(),
                                settings.s3AccessKey(),
                                settings.s3SecretKey(),
                                settings.s3Region(),
                                settings.s3PathStyle())
                        .newClient();
    }

    /** The key of {@code path} in this source's bucket, checked to lie under the prefix. */
    String key(String path) throws SourceStorage.SourceFileException {
        String expected = "s3://" + bucket + "/";
        if (path == null || !path.startsWith(expected)) {
            throw new SourceStorage.SourceFileException(
                    "path is not in this source's bucket " + bucket + ": " + path);
        }
        String key = path.substring(expected.length());
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            throw new SourceStorage.SourceFileException(
                    "path is outside the source storage root " + expected + prefix + ": " + path);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new SourceStorage.SourceFileException("path has a . or .. segment: " + path);
            }
        }
        return key;
    }

    @Override
    public Body open(String path) throws SourceStorage.SourceFileException {
        String key = key(path);
        try {
            ResponseInputStream<GetObjectResponse> in =
                    client.getObject(b -> b.bucket(bucket).key(key));
            return new Body(in, in.response().contentLength());
        } catch (NoSuchKeyException e) {
            throw new SourceStorage.SourceFileException("missing in source storage");
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new SourceStorage.SourceFileException("missing in source storage");
            }
            throw new SourceStorage.SourceFileException(
                    "unreadable: S3 status " + e.statusCode(), e);
        } catch (SdkException e) {
            throw new SourceStorage.SourceFileException("unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String path) throws IOException {
        try {
            String key = key(path);
            // bounded: a store that stops answering costs one kept original, not a stuck commit
            client.deleteObject(
                    b ->
                            b.bucket(bucket)
                                    .key(key)
                                    .overrideConfiguration(c -> c.apiCallTimeout(DELETE_TIMEOUT)));
        } catch (SourceStorage.SourceFileException | SdkException e) {
            throw new IOException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
