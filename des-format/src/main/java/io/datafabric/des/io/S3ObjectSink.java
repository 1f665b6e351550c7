package io.datafabric.des.io;

import io.datafabric.des.format.EntryNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Objects in an S3 bucket under a key prefix. An object is buffered one part at a time (memory is
 * one part, whatever the object size): objects smaller than a part go up with one PUT, larger ones
 * as a multipart upload that becomes visible only on completion and is aborted on failure.
 */
public final class S3ObjectSink implements ObjectSink {
    /** S3's smallest part size (except for the last part). */
    public static final int MIN_PART_SIZE = 5 << 20;

    public static final int DEFAULT_PART_SIZE = 8 << 20;

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final int partSize;

    /**
     * @param client shared client, owned by the caller
     * @param bucket target bucket
     * @param prefix key prefix, empty or ending with {@code /}
     * @param partSize multipart part size, at least {@link #MIN_PART_SIZE}
     */
    public S3ObjectSink(S3Client client, String bucket, String prefix, int partSize) {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end with '/': " + prefix);
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size below S3's minimum of 5 MiB");
        }
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.partSize = partSize;
    }

    public S3ObjectSink(S3Client client, String bucket, String prefix) {
        this(client, bucket, prefix, DEFAULT_PART_SIZE);
    }

    private String fullKey(String key) {
        String problem = EntryNames.problem(key);
        if (problem != null) {
            throw new IllegalArgumentException("unsafe object key '" + key + "': " + problem);
        }
        return prefix + key;
    }

    @Override
    public SinkOutput create(String key) {
        return new S3Output(fullKey(key));
    }

    @Override
    public void delete(String key) throws IOException {
        String full = fullKey(key);
        try {
            client.deleteObject(b -> b.bucket(bucket).key(full));
        } catch (SdkException e) {
            throw new IOException("s3://" + bucket + "/" + full + ": " + e.getMessage(), e);
        }
    }

    private final class S3Output extends SinkOutput {
        private final String key;
        private final byte[] buffer = new byte[partSize];
        private final List<CompletedPart> parts = new ArrayList<>();
        private int filled;
        private String uploadId;
        private boolean done;

        S3Output(String key) {
            this.key = key;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (done) {
                throw new IOException("s3://" + bucket + "/" + key + " is already closed");
            }
            while (len > 0) {
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == buffer.length) {
                    uploadPart();
                }
            }
        }

        private void uploadPart() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId =
                            client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
                }
                int number = parts.size() + 1;
                String etag =
                        client.uploadPart(
                                        b ->
                                                b.bucket(bucket)
                                                        .key(key)
                                                        .uploadId(uploadId)
                                                        .partNumber(number),
                                        RequestBody.fromBytes(Arrays.copyOf(buffer, filled)))
                                .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                filled = 0;
            } catch (SdkException e) {
                throw new IOException("s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            try {
                if (uploadId == null) {
                    client.putObject(
                            b -> b.bucket(bucket).key(key),
                            RequestBody.fromBytes(Arrays.copyOf(buffer, filled)));
                } else {
                    if (filled > 0) {
                        uploadPart();
                    }
                    client.completeMultipartUpload(
                            b ->
                                    b.bucket(bucket)
                                            .key(key)
                                            .uploadId(uploadId)
                                            .multipartUpload(m -> m.parts(parts)));
                }
                done = true;
            } catch (SdkException e) {
                abort();
                throw new IOException("s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
            } catch (IOException e) {
                abort();
                throw e;
            }
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            if (uploadId != null) {
                try {
                    client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (SdkException ignored) {
                    // The bucket's lifecycle rule for incomplete uploads is the backstop.
                }
            }
        }
    }
}
