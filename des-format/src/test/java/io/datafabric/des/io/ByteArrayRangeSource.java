package io.datafabric.des.io;

import io.datafabric.des.format.DesFormatException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Map;

/** An object in memory, with optional siblings, for tests that tamper with bytes. */
public final class ByteArrayRangeSource implements RangeSource {
    private final String id;
    private final byte[] bytes;
    private final Map<String, byte[]> siblings;

    public ByteArrayRangeSource(String id, byte[] bytes, Map<String, byte[]> siblings) {
        this.id = id;
        this.bytes = bytes;
        this.siblings = siblings;
    }

    public ByteArrayRangeSource(String id, byte[] bytes) {
        this(id, bytes, Map.of());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        if (offset + length > bytes.length) {
            throw new DesFormatException(id + ": range past the end");
        }
        return Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
    }

    @Override
    public RangeSource openSibling(String relativeKey) throws IOException {
        byte[] sibling = siblings.get(relativeKey);
        if (sibling == null) {
            throw new NoSuchFileException(relativeKey);
        }
        return new ByteArrayRangeSource(id + "#" + relativeKey, sibling);
    }

    @Override
    public void close() {}
}
