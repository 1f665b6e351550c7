package io.datafabric.despacker.pack;

import io.datafabric.despacker.config.StorageSettings;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where a source's files are read from (and, with deletion of originals on, deleted): a local
 * directory tree or an S3 prefix. Paths are taken literally ({@code file://} + absolute path, or
 * {@code s3://bucket/key}; no percent-decoding) and must lie under the storage root.
 */
public interface SourceStorage extends AutoCloseable {

    /** A body being read and its length as the store reports it. */
    record Body(InputStream stream, long length) {}

    /**
     * Opens a file for reading.
     *
     * @throws SourceFileException when the file is missing, outside the root or unreadable; the
     *     message is the reason recorded for the row
     */
    Body open(String path) throws SourceFileException;

    /** Deletes a file (deletion of originals after a verified pack). */
    void delete(String path) throws IOException;

    @Override
    void close();

    /** The storage of a source. */
    static SourceStorage of(StorageSettings settings) {
        return settings.isS3()
                ? new S3SourceStorage(settings)
                : new LocalSourceStorage(settings.root());
    }

    /** A single file that cannot be packed; the message is the reason. */
    final class SourceFileException extends Exception {
        public SourceFileException(String reason) {
            super(reason);
        }

        public SourceFileException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
