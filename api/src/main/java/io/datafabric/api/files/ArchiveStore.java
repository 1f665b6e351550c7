package io.datafabric.api.files;

import io.datafabric.api.http.ApiError;
import io.datafabric.api.http.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Range reads of shard objects by their key relative to the archive root ({@code archive.uri}).
 * Keys come from the database and are checked ({@link ArchiveLocation#keyProblem}) before use: an
 * unusable key is a 502 {@code bad_object_key}, never a read outside the archive.
 */
public interface ArchiveStore {
    /** The object named by a key does not exist (repacked since the location was cached). */
    final class ObjectMissing extends Exception {
        private static final long serialVersionUID = 1L;

        public ObjectMissing(String key) {
            super(key);
        }
    }

    /** Exactly {@code length} bytes from {@code offset} of the object. */
    byte[] read(String key, long offset, int length) throws ObjectMissing;

    /** A stream of {@code length} bytes from {@code offset}, for large bodies. */
    InputStream stream(String key, long offset, long length) throws ObjectMissing;

    /** Null when the archive can be read, else what is wrong (for the readiness check). */
    String problem();

    /** What the archive is, for messages. */
    String describe();

    static ApiError badKey(String key, String problem) {
        return new ApiError(
                502,
                "bad_object_key",
                "the DES metadata names object key '"
                        + Names.printable(key)
                        + "', which "
                        + problem
                        + ": refused");
    }

    /** Objects in a bucket, under an optional key prefix. */
    final class S3Store implements ArchiveStore {
        private final S3Client s3;
        private final String bucket;
        private final String prefix;

        public S3Store(S3Client s3, ArchiveLocation.S3 location) {
            this.s3 = s3;
            this.bucket = location.bucket();
            this.prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        }

        String objectKey(String key) {
            String problem = ArchiveLocation.keyProblem(key);
            if (problem != null) {
                throw badKey(key, problem);
            }
            return prefix + key;
        }

        @Override
        public byte[] read(String key, long offset, int length) throws ObjectMissing {
            String k = objectKey(key);
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            try {
                return s3.getObjectAsBytes(b -> b.bucket(bucket).key(k).range(range))
                        .asByteArrayUnsafe();
            } catch (S3Exception e) {
                throw translate(e, key);
            }
        }

        @Override
        public InputStream stream(String key, long offset, long length) throws ObjectMissing {
            String k = objectKey(key);
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            try {
                ResponseInputStream<GetObjectResponse> in =
                        s3.getObject(b -> b.bucket(bucket).key(k).range(range));
                return in;
            } catch (S3Exception e) {
                throw translate(e, key);
            }
        }

        private ObjectMissing translate(S3Exception e, String key) {
            if (e instanceof NoSuchKeyException || e.statusCode() == 404) {
                return new ObjectMissing(key);
            }
            throw new ApiError(
                    502,
                    "storage_error",
                    "object storage answered " + e.statusCode() + " for " + prefix + key);
        }

        @Override
        public String problem() {
            try {
                s3.headBucket(b -> b.bucket(bucket));
                return null;
            } catch (RuntimeException e) {
                return "storage unreachable: " + e.getMessage();
            }
        }

        @Override
        public String describe() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    /**
     * Objects in a local directory, read with positional reads. A key resolves to a path under the
     * directory; its real path (symbolic links followed) must still be under the directory's real
     * path.
     */
    final class LocalStore implements ArchiveStore {
        private final Path dir;
        private volatile Path realDir;

        public LocalStore(ArchiveLocation.Local location) {
            this.dir = location.dir();
        }

        /** The directory's real path, resolved once it exists (it may be created after start). */
        private Path realDir() throws IOException {
            Path r = realDir;
            if (r == null) {
                r = dir.toRealPath();
                realDir = r;
            }
            return r;
        }

        /** The real path of the object of a key, checked to lie under the archive directory. */
        Path resolve(String key) throws ObjectMissing {
            String problem = ArchiveLocation.keyProblem(key);
            if (problem != null) {
                throw badKey(key, problem);
            }
            Path path = dir.resolve(key).normalize();
            if (!path.startsWith(dir)) {
                throw badKey(key, "leads outside the archive directory");
            }
            Path real;
            Path realDir;
            try {
                realDir = realDir();
                real = path.toRealPath();
            } catch (NoSuchFileException e) {
                throw new ObjectMissing(key);
            } catch (IOException e) {
                throw ioError(key, e);
            }
            if (!real.startsWith(realDir)) {
                throw badKey(key, "leads outside the archive directory (through a link)");
            }
            return real;
        }

        @Override
        public byte[] read(String key, long offset, int length) throws ObjectMissing {
            Path path = resolve(key);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                byte[] bytes = new byte[length];
                readFully(ch, ByteBuffer.wrap(bytes), offset, key);
                return bytes;
            } catch (NoSuchFileException e) {
                throw new ObjectMissing(key);
            } catch (IOException e) {
                throw ioError(key, e);
            }
        }

        private static void readFully(FileChannel ch, ByteBuffer buf, long offset, String key)
                throws IOException {
            long position = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, position);
                if (n < 0) {
                    throw new ApiError(
                            502,
                            "storage_inconsistent",
                            "shard object "
                                    + key
                                    + " ends at byte "
                                    + position
                                    + ", before the end of the file the DES metadata places in"
                                    + " it");
                }
                position += n;
            }
        }

        @Override
        public InputStream stream(String key, long offset, long length) throws ObjectMissing {
            Path path = resolve(key);
            FileChannel ch;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new ObjectMissing(key);
            } catch (IOException e) {
                throw ioError(key, e);
            }
            return new ChannelRangeStream(ch, offset, length, key);
        }

        private ApiError ioError(String key, IOException e) {
            return new ApiError(
                    502, "storage_error", "archive object " + key + " cannot be read: " + e);
        }

        @Override
        public String problem() {
            if (!Files.isDirectory(dir)) {
                return "archive directory " + dir + " does not exist";
            }
            if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
                return "archive directory " + dir + " is not readable";
            }
            return null;
        }

        @Override
        public String describe() {
            return dir.toUri().toString();
        }
    }

    /** {@code length} bytes of a channel from {@code offset}; closes the channel when closed. */
    final class ChannelRangeStream extends InputStream {
        private final FileChannel channel;
        private final String key;
        private long position;
        private long remaining;

        ChannelRangeStream(FileChannel channel, long offset, long length, String key) {
            this.channel = channel;
            this.position = offset;
            this.remaining = length;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int want = (int) Math.min(len, remaining);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                throw new IOException(
                        "shard object " + key + " ended at byte " + position + " early");
            }
            position += n;
            remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
