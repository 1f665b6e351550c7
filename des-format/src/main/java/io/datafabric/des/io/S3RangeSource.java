package io.datafabric.des.io;

import io.datafabric.des.format.DesFormatException;
import io.datafabric.des.format.EntryNames;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 object read with HTTP range GETs (AWS SDK v2). The tail read uses a suffix range ({@code
 * bytes=-N}) and learns the object size from {@code Content-Range}, so opening a shard needs no
 * HEAD request. The client is shared and owned by the caller; closing the source does not close it.
 */
public final class S3RangeSource implements RangeSource {
    private static final int RANGE_NOT_SATISFIABLE = 416;

    private final S3Client client;
    private final String bucket;
    private final String key;
    private volatile long size = -1;

    public S3RangeSource(S3Client client, String bucket, String key) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public String id() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public long size() throws IOException {
        long known = size;
        if (known < 0) {
            try {
                known = client.headObject(b -> b.bucket(bucket).key(key)).contentLength();
            } catch (NoSuchKeyException e) {
                throw new NoSuchFileException(id());
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    throw new NoSuchFileException(id());
                }
                throw new IOException(id() + ": " + e.getMessage(), e);
            } catch (SdkException e) {
                throw new IOException(id() + ": " + e.getMessage(), e);
            }
            size = known;
        }
        return known;
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        if (length == 0) {
            return new byte[0];
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        byte[] bytes;
        try {
            bytes = get(range).asByteArray();
        } catch (S3Exception e) {
            if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
                throw new DesFormatException(id() + ": range " + range + " lies past the end");
            }
            throw e;
        }
        if (bytes.length != length) {
            throw new DesFormatException(
                    id()
                            + ": asked for "
                            + length
                            + " bytes at "
                            + offset
                            + ", got "
                            + bytes.length
                            + " (object shorter than expected)");
        }
        return bytes;
    }

    @Override
    public Tail readTail(int maxLength) throws IOException {
        ResponseBytes<GetObjectResponse> response;
        try {
            response = get("bytes=-" + maxLength);
        } catch (S3Exception e) {
            if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
                // A suffix range of an empty object cannot be satisfied.
                size = 0;
                return new Tail(0, new byte[0]);
            }
            throw e;
        }
        byte[] bytes = response.asByteArray();
        long total = totalFromContentRange(response.response().contentRange(), bytes.length);
        size = total;
        return new Tail(total, bytes);
    }

    private ResponseBytes<GetObjectResponse> get(String range) throws IOException {
        try {
            return client.getObjectAsBytes(b -> b.bucket(bucket).key(key).range(range));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(id());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(id());
            }
            if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
                throw e;
            }
            throw new IOException(id() + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException(id() + ": " + e.getMessage(), e);
        }
    }

    /** {@code bytes 100-199/200} gives 200; a 200 response without the header is the object. */
    static long totalFromContentRange(String contentRange, long bodyLength)
            throws DesFormatException {
        if (contentRange == null || contentRange.isEmpty()) {
            return bodyLength;
        }
        int slash = contentRange.lastIndexOf('/');
        try {
            return Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new DesFormatException("unexpected Content-Range '" + contentRange + "'");
        }
    }

    @Override
    public RangeSource openSibling(String relativeKey) throws IOException {
        if (EntryNames.problem(relativeKey) != null) {
            throw new DesFormatException("unsafe side object reference '" + relativeKey + "'");
        }
        int slash = key.lastIndexOf('/');
        String directory = slash < 0 ? "" : key.substring(0, slash + 1);
        return new S3RangeSource(client, bucket, directory + relativeKey);
    }

    @Override
    public void close() {
        // The client belongs to the caller.
    }

    @Override
    public String toString() {
        return id();
    }
}
