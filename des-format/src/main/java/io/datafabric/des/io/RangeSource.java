package io.datafabric.des.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Random read access to one immutable object: its size and any byte range of it. Each call to
 * {@link #read} or {@link #readTail} is one request to the store behind it (one HTTP range GET for
 * S3), which is what the DES reader counts and minimises. Implementations are thread-safe.
 */
public interface RangeSource extends Closeable {

    /** A stable identity of the object, used as the index cache key (e.g. {@code s3://b/k}). */
    String id();

    /** Object length in bytes. */
    long size() throws IOException;

    /**
     * Reads exactly {@code length} bytes at {@code offset}.
     *
     * @throws io.datafabric.des.format.DesFormatException when the object ends before the range
     *     does
     */
    byte[] read(long offset, int length) throws IOException;

    /**
     * Reads the last {@code maxLength} bytes (or the whole object when it is shorter) and learns
     * the object size in the same request where the store allows it (S3 suffix ranges do).
     */
    default Tail readTail(int maxLength) throws IOException {
        long size = size();
        int length = (int) Math.min(size, maxLength);
        return new Tail(size, read(size - length, length));
    }

    /**
     * Opens the object at {@code relativeKey} next to this one (same directory or key prefix); used
     * for big files stored as {@code _bigFiles/<name>}. The caller closes it.
     */
    RangeSource openSibling(String relativeKey) throws IOException;

    /**
     * The end of an object and its total size.
     *
     * @param objectSize size of the whole object
     * @param bytes the last {@code bytes.length} bytes of it
     */
    record Tail(long objectSize, byte[] bytes) {}
}
