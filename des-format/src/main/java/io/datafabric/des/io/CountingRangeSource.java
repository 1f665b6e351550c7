package io.datafabric.des.io;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a source and counts the requests and bytes that go through it, for metrics and for tests
 * that hold the reader to its request budget. Side objects opened through it are counted too.
 */
public final class CountingRangeSource implements RangeSource {
    private final RangeSource delegate;
    private final AtomicLong requests;
    private final AtomicLong bytes;

    public CountingRangeSource(RangeSource delegate) {
        this(delegate, new AtomicLong(), new AtomicLong());
    }

    private CountingRangeSource(RangeSource delegate, AtomicLong requests, AtomicLong bytes) {
        this.delegate = delegate;
        this.requests = requests;
        this.bytes = bytes;
    }

    /** Range requests so far: reads and tail reads. */
    public long requests() {
        return requests.get();
    }

    public long bytesRead() {
        return bytes.get();
    }

    public void reset() {
        requests.set(0);
        bytes.set(0);
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        requests.incrementAndGet();
        byte[] result = delegate.read(offset, length);
        bytes.addAndGet(result.length);
        return result;
    }

    @Override
    public Tail readTail(int maxLength) throws IOException {
        requests.incrementAndGet();
        Tail tail = delegate.readTail(maxLength);
        bytes.addAndGet(tail.bytes().length);
        return tail;
    }

    @Override
    public RangeSource openSibling(String relativeKey) throws IOException {
        return new CountingRangeSource(delegate.openSibling(relativeKey), requests, bytes);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
