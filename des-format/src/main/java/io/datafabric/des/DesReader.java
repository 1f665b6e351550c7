package io.datafabric.des;

import io.datafabric.des.cache.IndexCache;
import io.datafabric.des.format.Checksums;
import io.datafabric.des.format.DesFormat;
import io.datafabric.des.format.DesFormatException;
import io.datafabric.des.format.Footer;
import io.datafabric.des.format.Header;
import io.datafabric.des.format.IndexSlot;
import io.datafabric.des.format.MetaRecord;
import io.datafabric.des.format.ShardIndex;
import io.datafabric.des.io.FileRangeSource;
import io.datafabric.des.io.RangeInputStream;
import io.datafabric.des.io.RangeSource;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads one DES v1 shard through a {@link RangeSource}: list, stat, whole-file and range reads, and
 * a full verification.
 *
 * <p>Request budget: opening the shard's tail costs one request when META + INDEX + FOOTER fit in
 * the tail window, two otherwise. With the index cached (warm), reading a whole file or a range of
 * it costs exactly one request and stat or list cost none; a cold read costs at most three (tail,
 * index, body).
 *
 * <p>Whole-file reads check the body's CRC32C and never return a wrong body; range reads of part of
 * a file cannot be checked and return the bytes as stored. Every malformed input gives a {@link
 * DesFormatException}, an unknown name an empty {@link Optional}. Thread-safe.
 */
public final class DesReader implements Closeable {
    /** Tail read size: footer plus, for shards of up to a few thousand files, META and INDEX. */
    public static final int DEFAULT_TAIL_WINDOW = 256 << 10;

    /** Chunk size for streamed bodies and for {@link #verify()}. */
    public static final int DEFAULT_CHUNK_SIZE = 8 << 20;

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final RangeSource source;
    private final IndexCache cache;
    private final int tailWindow;
    private final long maxIndexBytes;
    private final int chunkSize;
    private final boolean closeSource;
    private volatile ShardIndex own;

    private DesReader(Builder b) {
        this.source = b.source;
        this.cache = b.cache;
        this.tailWindow = b.tailWindow;
        this.maxIndexBytes = b.maxIndexBytes;
        this.chunkSize = b.chunkSize;
        this.closeSource = b.closeSource;
    }

    /** A reader of a local file that keeps its own index; close it to close the file. */
    public static DesReader open(Path file) throws IOException {
        return builder(new FileRangeSource(file)).build();
    }

    public static Builder builder(RangeSource source) {
        return new Builder(source);
    }

    /** Options of a {@link DesReader}. */
    public static final class Builder {
        private final RangeSource source;
        private IndexCache cache;
        private int tailWindow = DEFAULT_TAIL_WINDOW;
        private long maxIndexBytes = DesWriter.MAX_TAIL_BYTES;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private boolean closeSource = true;

        private Builder(RangeSource source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * A cache shared between readers. Without one the reader keeps the index it loaded for as
         * long as it lives.
         */
        public Builder cache(IndexCache cache) {
            this.cache = cache;
            return this;
        }

        /** Bytes fetched by the first (tail) request; at least the footer. */
        public Builder tailWindow(int bytes) {
            if (bytes < DesFormat.FOOTER_LENGTH) {
                throw new IllegalArgumentException("tail window smaller than the footer");
            }
            this.tailWindow = bytes;
            return this;
        }

        /** Refuse shards whose META + INDEX exceed this, before allocating anything for them. */
        public Builder maxIndexBytes(long bytes) {
            this.maxIndexBytes = Math.min(bytes, MAX_ARRAY);
            return this;
        }

        /** Request size when streaming a body or verifying. */
        public Builder chunkSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
            this.chunkSize = bytes;
            return this;
        }

        /** Whether {@link DesReader#close()} closes the source (default true). */
        public Builder closeSource(boolean close) {
            this.closeSource = close;
            return this;
        }

        public DesReader build() {
            return new DesReader(this);
        }
    }

    public RangeSource source() {
        return source;
    }

    private ShardIndex index() throws IOException {
        if (cache != null) {
            return cache.get(source.id(), this::loadIndex);
        }
        ShardIndex index = own;
        if (index == null) {
            synchronized (this) {
                index = own;
                if (index == null) {
                    index = loadIndex();
                    own = index;
                }
            }
        }
        return index;
    }

    /** One tail request, plus one for META + INDEX when they do not fit in the tail window. */
    private ShardIndex loadIndex() throws IOException {
        RangeSource.Tail tail = source.readTail(tailWindow);
        long size = tail.objectSize();
        byte[] bytes = tail.bytes();
        if (size < DesFormat.MIN_OBJECT_LENGTH || bytes.length < DesFormat.FOOTER_LENGTH) {
            throw new DesFormatException(
                    source.id()
                            + ": truncated: object is "
                            + size
                            + " bytes, smaller than the smallest DES object ("
                            + DesFormat.MIN_OBJECT_LENGTH
                            + " bytes)");
        }
        try {
            Footer footer = Footer.decode(bytes, bytes.length, size);
            long sectionLength = footer.metaLength() + footer.indexLength();
            if (sectionLength > maxIndexBytes) {
                throw new DesFormatException(
                        "META + INDEX take "
                                + sectionLength
                                + " bytes, more than this reader's limit of "
                                + maxIndexBytes);
            }
            long tailStart = size - bytes.length;
            byte[] sections;
            if (footer.metaOffset() >= tailStart) {
                int from = (int) (footer.metaOffset() - tailStart);
                sections = Arrays.copyOfRange(bytes, from, from + (int) sectionLength);
            } else {
                sections = source.read(footer.metaOffset(), (int) sectionLength);
            }
            return ShardIndex.load(footer, sections);
        } catch (DesFormatException e) {
            throw new DesFormatException(source.id() + ": " + e.getMessage(), e);
        }
    }

    public int entryCount() throws IOException {
        return index().entryCount();
    }

    /**
     * All entries in name order (unsigned UTF-8 byte order). The list is a view over the cached
     * index and decodes an entry when it is accessed.
     */
    public List<DesEntry> list() throws IOException {
        ShardIndex index = index();
        return new AbstractList<>() {
            @Override
            public DesEntry get(int i) {
                Objects.checkIndex(i, index.entryCount());
                try {
                    return entry(index, i);
                } catch (DesFormatException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public int size() {
                return index.entryCount();
            }
        };
    }

    private static DesEntry entry(ShardIndex index, int i) throws DesFormatException {
        IndexSlot s = index.slot(i);
        return new DesEntry(index.name(i), s.size(), s.crc32c(), s.bigFile());
    }

    private int find(ShardIndex index, String name) {
        return index.find(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The INDEX entry of a file, or empty when the shard has no file of that name. */
    public Optional<DesEntry> entry(String name) throws IOException {
        ShardIndex index = index();
        int slot = find(index, name);
        return slot < 0 ? Optional.empty() : Optional.of(entry(index, slot));
    }

    /** INDEX entry and META record of a file; no request once the index is cached. */
    public Optional<FileStat> stat(String name) throws IOException {
        ShardIndex index = index();
        int slot = find(index, name);
        if (slot < 0) {
            return Optional.empty();
        }
        MetaRecord meta = meta(index, slot);
        return Optional.of(
                new FileStat(
                        meta.name(),
                        meta.size(),
                        meta.crc32c(),
                        meta.contentType(),
                        meta.attributes(),
                        meta.bigFileRef().isEmpty()
                                ? Optional.empty()
                                : Optional.of(meta.bigFileRef())));
    }

    /**
     * The whole body of a file, checked against its CRC32C: one request when the index is cached,
     * none for an empty file.
     */
    public Optional<byte[]> read(String name) throws IOException {
        ShardIndex index = index();
        int slot = find(index, name);
        if (slot < 0) {
            return Optional.empty();
        }
        IndexSlot s = index.slot(slot);
        if (s.size() > MAX_ARRAY) {
            throw new IllegalArgumentException(
                    "'" + name + "' has " + s.size() + " bytes, too many for an array; use open()");
        }
        byte[] body = readRange(index, slot, s, 0, (int) s.size());
        int crc = Checksums.crc32c(body);
        if (crc != s.crc32c()) {
            throw checksumMismatch(name, s.crc32c(), crc);
        }
        return Optional.of(body);
    }

    /**
     * Up to {@code length} bytes of a file starting at {@code offset}, clipped to the end of the
     * file (empty past it). One request when the index is cached. The bytes are not checked: a
     * checksum covers whole bodies only.
     */
    public Optional<byte[]> read(String name, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        ShardIndex index = index();
        int slot = find(index, name);
        if (slot < 0) {
            return Optional.empty();
        }
        IndexSlot s = index.slot(slot);
        int n = (int) Math.max(0, Math.min(length, s.size() - offset));
        return Optional.of(readRange(index, slot, s, offset, n));
    }

    private byte[] readRange(ShardIndex index, int slot, IndexSlot s, long offset, int length)
            throws IOException {
        if (length == 0) {
            return new byte[0];
        }
        if (!s.bigFile()) {
            return source.read(s.dataOffset() + offset, length);
        }
        try (RangeSource side = openSide(index, slot)) {
            return side.read(offset, length);
        }
    }

    /** The META record of a slot, checked against it; errors name this shard. */
    private MetaRecord meta(ShardIndex index, int slot) throws DesFormatException {
        try {
            return index.meta(slot);
        } catch (DesFormatException e) {
            throw new DesFormatException(source.id() + ": " + e.getMessage(), e);
        }
    }

    private RangeSource openSide(ShardIndex index, int slot) throws IOException {
        String ref = meta(index, slot).bigFileRef();
        try {
            return source.openSibling(ref);
        } catch (NoSuchFileException e) {
            throw new DesFormatException(
                    source.id()
                            + ": side object "
                            + ref
                            + " of '"
                            + index.name(slot)
                            + "' is missing");
        }
    }

    /**
     * Streams the body of a file in chunks, so files of any size can be read with bounded memory.
     * The checksum is checked when the stream reaches the end: a mismatch is thrown as a {@link
     * DesFormatException} from {@code read}.
     */
    public Optional<InputStream> open(String name) throws IOException {
        ShardIndex index = index();
        int slot = find(index, name);
        if (slot < 0) {
            return Optional.empty();
        }
        IndexSlot s = index.slot(slot);
        RangeSource side = s.bigFile() ? openSide(index, slot) : null;
        InputStream raw =
                side == null
                        ? new RangeInputStream(source, s.dataOffset(), s.size(), chunkSize)
                        : new RangeInputStream(side, 0, s.size(), chunkSize);
        return Optional.of(new CheckedBody(raw, side, name, s.size(), s.crc32c()));
    }

    /**
     * Checks everything: header, footer, META and INDEX checksums, every META record against its
     * slot, that bodies and META records tile their sections without gap or overlap, every body's
     * CRC32C, and every side object. Bypasses the cache (it checks the bytes as they are now).
     *
     * @throws DesFormatException at the first problem, saying which
     */
    public VerifyReport verify() throws IOException {
        ShardIndex index = loadIndex();
        Footer footer = index.footer();
        try {
            Header.check(source.read(0, DesFormat.HEADER_LENGTH));
        } catch (DesFormatException e) {
            throw new DesFormatException(source.id() + ": " + e.getMessage(), e);
        }
        int count = index.entryCount();
        // Entries in META order: META offset (below 2^31, META is held in one array) in the high
        // half, slot number in the low half, so one primitive sort orders them.
        long[] byMeta = new long[count];
        for (int i = 0; i < count; i++) {
            meta(index, i);
            byMeta[i] = (index.slot(i).metaOffset() - footer.metaOffset()) << 32 | i;
        }
        Arrays.sort(byMeta);
        List<Integer> big = new ArrayList<>();
        byte[] buffer = new byte[64 << 10];
        long expectedMeta = footer.metaOffset();
        long at = DesFormat.HEADER_LENGTH;
        long inlineBytes = 0;
        try (InputStream data =
                new RangeInputStream(
                        source,
                        DesFormat.HEADER_LENGTH,
                        footer.metaOffset() - DesFormat.HEADER_LENGTH,
                        chunkSize)) {
            for (long key : byMeta) {
                int i = (int) key;
                IndexSlot s = index.slot(i);
                if (s.metaOffset() != expectedMeta) {
                    throw new DesFormatException(
                            source.id()
                                    + ": META records do not tile META at offset "
                                    + expectedMeta);
                }
                expectedMeta += s.metaLength();
                if (s.bigFile()) {
                    big.add(i);
                    continue;
                }
                // Bodies are in DATA in the order their records are in META.
                if (s.dataOffset() != at) {
                    throw new DesFormatException(
                            source.id() + ": bodies do not tile DATA at offset " + at);
                }
                checkBody(index, i, data, buffer);
                at += s.size();
                inlineBytes += s.size();
            }
        }
        if (expectedMeta != footer.indexOffset()) {
            throw new DesFormatException(source.id() + ": META has bytes no record accounts for");
        }
        if (at != footer.metaOffset()) {
            throw new DesFormatException(
                    source.id() + ": DATA has bytes no entry accounts for after offset " + at);
        }
        long bigBytes = 0;
        for (int i : big) {
            long size = index.slot(i).size();
            try (RangeSource side = openSide(index, i)) {
                if (side.size() != size) {
                    throw new DesFormatException(
                            side.id()
                                    + ": side object has "
                                    + side.size()
                                    + " bytes, expected "
                                    + size);
                }
                try (InputStream body = new RangeInputStream(side, 0, size, chunkSize)) {
                    checkBody(index, i, body, buffer);
                }
            }
            bigBytes += size;
        }
        return new VerifyReport(count, inlineBytes, big.size(), bigBytes);
    }

    private void checkBody(ShardIndex index, int slot, InputStream in, byte[] buffer)
            throws IOException {
        IndexSlot s = index.slot(slot);
        CRC32C crc = new CRC32C();
        long left = s.size();
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new DesFormatException(
                        source.id() + ": body of '" + index.name(slot) + "' is cut short");
            }
            crc.update(buffer, 0, n);
            left -= n;
        }
        if ((int) crc.getValue() != s.crc32c()) {
            throw checksumMismatch(index.name(slot), s.crc32c(), (int) crc.getValue());
        }
    }

    private DesFormatException checksumMismatch(String name, int stored, int computed) {
        return new DesFormatException(
                source.id()
                        + ": body of '"
                        + name
                        + "' fails its checksum (stored "
                        + Checksums.hex(stored)
                        + ", computed "
                        + Checksums.hex(computed)
                        + ")");
    }

    @Override
    public void close() throws IOException {
        if (closeSource) {
            source.close();
        }
    }

    @Override
    public String toString() {
        return "DesReader[" + source.id() + "]";
    }

    /** Counts and checksums a streamed body; fails at the end if it does not match. */
    private final class CheckedBody extends FilterInputStream {
        private final RangeSource side;
        private final String name;
        private final long size;
        private final int expectedCrc;
        private final CRC32C crc = new CRC32C();
        private long seen;
        private boolean checked;

        CheckedBody(InputStream in, RangeSource side, String name, long size, int expectedCrc) {
            super(in);
            this.side = side;
            this.name = name;
            this.size = size;
            this.expectedCrc = expectedCrc;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                seen += n;
            } else if (n < 0 && !checked) {
                checked = true;
                if (seen != size) {
                    throw new DesFormatException(
                            source.id() + ": body of '" + name + "' is cut short");
                }
                if ((int) crc.getValue() != expectedCrc) {
                    throw checksumMismatch(name, expectedCrc, (int) crc.getValue());
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping would leave bytes out of the checksum; read through them instead.
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            long skipped = 0;
            while (skipped < n) {
                int got = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (got < 0) {
                    break;
                }
                skipped += got;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (side != null) {
                    side.close();
                }
            }
        }
    }
}
