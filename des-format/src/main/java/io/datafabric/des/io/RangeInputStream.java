package io.datafabric.des.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams the range {@code [start, start + length)} of a source in chunks, one request per chunk,
 * so that a body of any size is read with bounded memory.
 */
public final class RangeInputStream extends InputStream {
    private final RangeSource source;
    private final long end;
    private final int chunkSize;
    private long next;
    private byte[] chunk = new byte[0];
    private int chunkPosition;

    public RangeInputStream(RangeSource source, long start, long length, int chunkSize) {
        if (start < 0 || length < 0 || chunkSize <= 0) {
            throw new IllegalArgumentException("negative start/length or non-positive chunk");
        }
        this.source = source;
        this.next = start;
        this.end = start + length;
        this.chunkSize = chunkSize;
    }

    private boolean fill() throws IOException {
        if (chunkPosition < chunk.length) {
            return true;
        }
        if (next >= end) {
            return false;
        }
        int n = (int) Math.min(chunkSize, end - next);
        chunk = source.read(next, n);
        chunkPosition = 0;
        next += n;
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? chunk[chunkPosition++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - chunkPosition);
        System.arraycopy(chunk, chunkPosition, b, off, n);
        chunkPosition += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        long inChunk = Math.min(n, chunk.length - chunkPosition);
        chunkPosition += (int) inChunk;
        long rest = Math.min(n - inChunk, end - next);
        next += rest;
        return inChunk + rest;
    }

    @Override
    public int available() {
        return chunk.length - chunkPosition;
    }
}
