package io.datafabric.des;

import io.datafabric.des.format.DesFormat;
import io.datafabric.des.format.EntryNames;
import io.datafabric.des.format.Footer;
import io.datafabric.des.format.Header;
import io.datafabric.des.format.MetaRecord;
import io.datafabric.des.io.ObjectSink;
import io.datafabric.des.io.SinkOutput;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Writes one DES v1 shard, append-only and streaming: bodies go straight to the sink as they come,
 * and only the META records and INDEX entries are kept in memory until {@link #finish()} writes
 * them after the data. Memory is therefore bounded by the index, never by the shard size (plus one
 * big-file threshold of buffer for bodies of unknown length).
 *
 * <p>Bodies longer than the big-file threshold are written as separate side objects {@code
 * _bigFiles/<name>} next to the shard, and the shard records the reference. Identical calls give
 * identical bytes: nothing time- or host-dependent is written.
 *
 * <p>Nothing is visible until {@link #finish()} commits the shard; {@link #close()} without finish
 * aborts it and deletes side objects already written. Not thread-safe.
 */
public final class DesWriter implements Closeable {
    public static final long DEFAULT_BIG_FILE_THRESHOLD = 16L << 20;

    /** Largest META + INDEX a writer produces; what a default {@link DesReader} accepts. */
    public static final long MAX_TAIL_BYTES = 1L << 30;

    private static final int COPY_BUFFER = 64 << 10;
    private static final int OUTPUT_BUFFER = 1 << 20;

    private enum State {
        OPEN,
        FINISHED,
        FAILED
    }

    private final ObjectSink sink;
    private final String shardKey;
    private final String directory;
    private final long bigFileThreshold;
    private final SinkOutput shardOutput;
    private final DirectOutput out;
    private final ByteArrayOutputStream meta = new ByteArrayOutputStream(1 << 16);
    private final CRC32C metaCrc = new CRC32C();
    private final List<Pending> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final List<String> sideKeys = new ArrayList<>();
    private final byte[] copyBuffer = new byte[COPY_BUFFER];
    private long position;
    private long nameBytes;
    private long bodyBytes;
    private State state = State.OPEN;
    private Throwable failure;

    /** An entry written but not yet indexed; META offsets are relative to the META section. */
    private record Pending(
            byte[] name,
            long dataOffset,
            long size,
            long metaOffset,
            int metaLength,
            int crc32c,
            int flags) {}

    private DesWriter(ObjectSink sink, String shardKey, long bigFileThreshold) throws IOException {
        String problem = EntryNames.problem(shardKey);
        if (problem != null) {
            throw new IllegalArgumentException("invalid shard key '" + shardKey + "': " + problem);
        }
        this.sink = sink;
        this.shardKey = shardKey;
        int slash = shardKey.lastIndexOf('/');
        this.directory = slash < 0 ? "" : shardKey.substring(0, slash + 1);
        this.bigFileThreshold = bigFileThreshold;
        this.shardOutput = sink.create(shardKey);
        this.out = new DirectOutput(shardOutput, OUTPUT_BUFFER);
        try {
            writeOut(Header.encode(), 0, DesFormat.HEADER_LENGTH);
        } catch (IOException | RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    /** Starts a writer for the shard {@code shardKey} in {@code sink}. */
    public static Builder builder(ObjectSink sink, String shardKey) {
        return new Builder(sink, shardKey);
    }

    /** Options of a {@link DesWriter}. */
    public static final class Builder {
        private final ObjectSink sink;
        private final String shardKey;
        private long bigFileThreshold = DEFAULT_BIG_FILE_THRESHOLD;

        private Builder(ObjectSink sink, String shardKey) {
            this.sink = Objects.requireNonNull(sink, "sink");
            this.shardKey = Objects.requireNonNull(shardKey, "shardKey");
        }

        /** Bodies strictly longer than this many bytes become side objects. */
        public Builder bigFileThreshold(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("threshold must not be negative");
            }
            this.bigFileThreshold = bytes;
            return this;
        }

        /** Opens the shard object and writes its header. */
        public DesWriter build() throws IOException {
            return new DesWriter(sink, shardKey, bigFileThreshold);
        }
    }

    /** Adds a file whose body is in memory. */
    public DesEntry add(String name, byte[] body, FileMetadata metadata) throws IOException {
        byte[] encodedName = admit(name, metadata);
        try {
            if (body.length > bigFileThreshold) {
                return writeSide(name, encodedName, metadata, body, body.length, null, 0);
            }
            return addInline(name, encodedName, metadata, body, body.length);
        } catch (IOException | RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    /**
     * Adds a file of known length from a stream; exactly {@code length} bytes are read from it.
     *
     * @throws IOException when the stream ends early (the writer is then failed)
     */
    public DesEntry add(String name, InputStream body, long length, FileMetadata metadata)
            throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative length");
        }
        byte[] encodedName = admit(name, metadata);
        try {
            if (length > bigFileThreshold) {
                return writeSide(name, encodedName, metadata, new byte[0], 0, body, length);
            }
            long offset = position;
            CRC32C crc = new CRC32C();
            copy(name, body, length, out, crc);
            return index(name, encodedName, metadata, offset, length, (int) crc.getValue(), 0);
        } catch (IOException | RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    /**
     * Adds a local file. Its bytes are read with channel reads straight into the shard's output
     * buffer, without a copy through the Java heap; exactly the size the file has when it is opened
     * is read.
     */
    public DesEntry add(String name, Path file, FileMetadata metadata) throws IOException {
        byte[] encodedName = admit(name, metadata);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            try {
                if (length > bigFileThreshold) {
                    return writeSide(
                            name,
                            encodedName,
                            metadata,
                            new byte[0],
                            0,
                            Channels.newInputStream(channel),
                            length);
                }
                long offset = position;
                CRC32C crc = new CRC32C();
                out.transferFrom(channel, length, crc, name);
                position += length;
                return index(name, encodedName, metadata, offset, length, (int) crc.getValue(), 0);
            } catch (IOException | RuntimeException e) {
                fail(e);
                throw e;
            }
        }
    }

    /**
     * Adds a file of unknown length from a stream, read to its end. Up to the big-file threshold is
     * buffered to decide whether the body goes inline or into a side object.
     */
    public DesEntry add(String name, InputStream body, FileMetadata metadata) throws IOException {
        byte[] encodedName = admit(name, metadata);
        try {
            long limit = Math.min(bigFileThreshold, Integer.MAX_VALUE - 16);
            Spill spill = new Spill();
            long got = spill.readFrom(body, limit + 1);
            if (got <= limit) {
                return addInline(name, encodedName, metadata, spill.bytes(), spill.size());
            }
            return writeSide(name, encodedName, metadata, spill.bytes(), spill.size(), body, -1);
        } catch (IOException | RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    private DesEntry addInline(
            String name, byte[] encodedName, FileMetadata metadata, byte[] body, int length)
            throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, length);
        long offset = position;
        writeOut(body, 0, length);
        return index(name, encodedName, metadata, offset, length, (int) crc.getValue(), 0);
    }

    /** Checks everything about a new entry that can be checked before any byte is written. */
    private byte[] admit(String name, FileMetadata metadata) {
        checkOpen();
        Objects.requireNonNull(metadata, "metadata");
        byte[] encoded = EntryNames.encode(name);
        if (names.contains(name)) {
            throw new IllegalArgumentException(
                    "duplicate name '" + name + "' in shard " + shardKey);
        }
        int metaLength =
                MetaRecord.maxEncodedLength(encoded, metadata.contentType(), metadata.attributes());
        if (metaLength > DesFormat.MAX_META_RECORD_BYTES) {
            throw new IllegalArgumentException(
                    "metadata of '"
                            + name
                            + "' needs up to "
                            + metaLength
                            + " bytes, more than the "
                            + DesFormat.MAX_META_RECORD_BYTES
                            + " a META record may hold");
        }
        long tail =
                meta.size()
                        + metaLength
                        + (entries.size() + 1L) * DesFormat.SLOT_LENGTH
                        + nameBytes
                        + encoded.length;
        if (tail > MAX_TAIL_BYTES) {
            throw new IllegalStateException(
                    "shard "
                            + shardKey
                            + " is full: META + INDEX would exceed "
                            + MAX_TAIL_BYTES
                            + " bytes; finish it and start a new shard");
        }
        return encoded;
    }

    private DesEntry writeSide(
            String name,
            byte[] encodedName,
            FileMetadata metadata,
            byte[] head,
            int headLength,
            InputStream rest,
            long restLength)
            throws IOException {
        String ref = DesFormat.BIG_FILES_DIR + name;
        String key = directory + ref;
        SinkOutput side = sink.create(key);
        CRC32C crc = new CRC32C();
        long size = headLength;
        try {
            OutputStream sideOut = new BufferedOutput(side, OUTPUT_BUFFER);
            crc.update(head, 0, headLength);
            sideOut.write(head, 0, headLength);
            if (rest != null) {
                size += copy(name, rest, restLength, sideOut, crc);
            }
            sideOut.close(); // commits the side object
        } catch (IOException | RuntimeException e) {
            side.abort();
            throw e;
        }
        sideKeys.add(key);
        return index(
                name,
                encodedName,
                metadata,
                0,
                size,
                (int) crc.getValue(),
                DesFormat.FLAG_BIG_FILE,
                ref);
    }

    private DesEntry index(
            String name,
            byte[] encodedName,
            FileMetadata metadata,
            long dataOffset,
            long size,
            int crc,
            int flags) {
        return index(name, encodedName, metadata, dataOffset, size, crc, flags, "");
    }

    private DesEntry index(
            String name,
            byte[] encodedName,
            FileMetadata metadata,
            long dataOffset,
            long size,
            int crc,
            int flags,
            String ref) {
        byte[] record =
                new MetaRecord(
                                name,
                                size,
                                crc,
                                flags,
                                metadata.contentType(),
                                ref,
                                metadata.attributes())
                        .encode();
        long metaOffset = meta.size();
        meta.writeBytes(record);
        metaCrc.update(record, 0, record.length);
        entries.add(
                new Pending(encodedName, dataOffset, size, metaOffset, record.length, crc, flags));
        names.add(name);
        nameBytes += encodedName.length;
        bodyBytes += size;
        return new DesEntry(name, size, crc, flags != 0);
    }

    /**
     * Copies a body into {@code target}, updating {@code crc}: exactly {@code length} bytes, or
     * everything up to the end of the stream when {@code length} is negative.
     *
     * @return bytes copied
     */
    private long copy(String name, InputStream in, long length, OutputStream target, CRC32C crc)
            throws IOException {
        long copied = 0;
        while (length < 0 || copied < length) {
            int want =
                    length < 0
                            ? copyBuffer.length
                            : (int) Math.min(copyBuffer.length, length - copied);
            int n = in.read(copyBuffer, 0, want);
            if (n < 0) {
                if (length < 0) {
                    break;
                }
                throw new IOException(
                        "body of '"
                                + name
                                + "' ended after "
                                + copied
                                + " of "
                                + length
                                + " bytes");
            }
            crc.update(copyBuffer, 0, n);
            if (target == out) {
                writeOut(copyBuffer, 0, n);
            } else {
                target.write(copyBuffer, 0, n);
            }
            copied += n;
        }
        return copied;
    }

    private void writeOut(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        position += length;
    }

    /**
     * Writes META, INDEX and FOOTER and commits the shard (and so makes it visible).
     *
     * @return what was written
     */
    public ShardSummary finish() throws IOException {
        checkOpen();
        try {
            long metaOffset = position;
            meta.writeTo(out);
            position += meta.size();

            entries.sort((a, b) -> EntryNames.compare(a.name(), b.name()));
            long indexOffset = position;
            CRC32C indexCrc = new CRC32C();
            ByteBuffer slot =
                    ByteBuffer.allocate(DesFormat.SLOT_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            long nameOffset = 0;
            for (Pending e : entries) {
                slot.clear();
                slot.putLong(e.dataOffset())
                        .putLong(e.size())
                        .putLong(metaOffset + e.metaOffset())
                        .putInt(e.metaLength())
                        .putInt(e.crc32c())
                        .putInt((int) nameOffset)
                        .putShort((short) e.name().length)
                        .putShort((short) e.flags());
                indexCrc.update(slot.array(), 0, DesFormat.SLOT_LENGTH);
                writeOut(slot.array(), 0, DesFormat.SLOT_LENGTH);
                nameOffset += e.name().length;
            }
            for (Pending e : entries) {
                indexCrc.update(e.name(), 0, e.name().length);
                writeOut(e.name(), 0, e.name().length);
            }
            long indexLength = position - indexOffset;
            long objectLength = position + DesFormat.FOOTER_LENGTH;
            Footer footer =
                    new Footer(
                            objectLength,
                            metaOffset,
                            meta.size(),
                            indexOffset,
                            indexLength,
                            entries.size(),
                            (int) metaCrc.getValue(),
                            (int) indexCrc.getValue(),
                            0,
                            0);
            writeOut(footer.encode(), 0, DesFormat.FOOTER_LENGTH);
            out.flush();
            shardOutput.close();
            state = State.FINISHED;
            return new ShardSummary(shardKey, entries.size(), objectLength, bodyBytes, sideKeys);
        } catch (IOException | RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    /** Entries added so far. */
    public int entryCount() {
        return entries.size();
    }

    /** Bytes written to the shard object so far (header and inline bodies). */
    public long position() {
        return position;
    }

    /** What META + INDEX will take when finished; callers may roll shards on it. */
    public long tailBytes() {
        return meta.size() + (long) entries.size() * DesFormat.SLOT_LENGTH + nameBytes;
    }

    /** Aborts the shard unless {@link #finish()} committed it. */
    @Override
    public void close() {
        if (state == State.OPEN) {
            fail(null);
        }
    }

    private void checkOpen() {
        if (state == State.FINISHED) {
            throw new IllegalStateException("shard " + shardKey + " is already finished");
        }
        if (state == State.FAILED) {
            throw new IllegalStateException(
                    "shard " + shardKey + " was aborted after an earlier failure", failure);
        }
    }

    private void fail(Throwable cause) {
        if (state != State.OPEN) {
            return;
        }
        state = State.FAILED;
        failure = cause;
        shardOutput.abort();
        for (String key : sideKeys) {
            try {
                sink.delete(key);
            } catch (IOException | RuntimeException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    /** A growable buffer for a body of unknown length, read up to a limit. */
    private static final class Spill extends ByteArrayOutputStream {
        Spill() {
            super(8 << 10);
        }

        long readFrom(InputStream in, long limit) throws IOException {
            byte[] chunk = new byte[COPY_BUFFER];
            while (count < limit) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, limit - count));
                if (n < 0) {
                    break;
                }
                write(chunk, 0, n);
            }
            return count;
        }

        byte[] bytes() {
            return buf;
        }
    }

    /**
     * The shard's output buffer: direct memory, so file bodies are read into it and written out of
     * it by the channels without passing through a heap array (two copies per byte, like tar).
     */
    private static final class DirectOutput extends OutputStream {
        private final SinkOutput target;
        private final ByteBuffer buffer;

        DirectOutput(SinkOutput target, int size) {
            this.target = target;
            this.buffer = ByteBuffer.allocateDirect(size);
        }

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) {
                flushBuffer();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buffer.remaining()) {
                flushBuffer();
            }
            if (len >= buffer.capacity()) {
                target.write(b, off, len);
            } else {
                buffer.put(b, off, len);
            }
        }

        /** Reads exactly {@code length} bytes from {@code channel} into the buffer. */
        void transferFrom(ReadableByteChannel channel, long length, CRC32C crc, String name)
                throws IOException {
            long left = length;
            while (left > 0) {
                if (!buffer.hasRemaining()) {
                    flushBuffer();
                }
                int start = buffer.position();
                buffer.limit(start + (int) Math.min(buffer.remaining(), left));
                int n = channel.read(buffer);
                int end = buffer.position();
                if (n < 0) {
                    buffer.limit(buffer.capacity());
                    throw new IOException(
                            "body of '"
                                    + name
                                    + "' ended after "
                                    + (length - left)
                                    + " of "
                                    + length
                                    + " bytes");
                }
                buffer.position(start);
                buffer.limit(end);
                crc.update(buffer);
                buffer.limit(buffer.capacity());
                left -= n;
            }
        }

        private void flushBuffer() throws IOException {
            buffer.flip();
            if (buffer.hasRemaining()) {
                target.write(buffer);
            }
            buffer.clear();
        }

        @Override
        public void flush() throws IOException {
            flushBuffer();
            target.flush();
        }
    }

    /**
     * A buffered stream without {@link java.io.BufferedOutputStream}'s locking, which shows up when
     * packing many small files.
     */
    private static final class BufferedOutput extends OutputStream {
        private final OutputStream target;
        private final byte[] buffer;
        private int filled;

        BufferedOutput(OutputStream target, int size) {
            this.target = target;
            this.buffer = new byte[size];
        }

        @Override
        public void write(int b) throws IOException {
            if (filled == buffer.length) {
                flushBuffer();
            }
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len >= buffer.length) {
                flushBuffer();
                target.write(b, off, len);
                return;
            }
            if (len > buffer.length - filled) {
                flushBuffer();
            }
            System.arraycopy(b, off, buffer, filled, len);
            filled += len;
        }

        private void flushBuffer() throws IOException {
            if (filled > 0) {
                target.write(buffer, 0, filled);
                filled = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            flushBuffer();
            target.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
            target.close();
        }
    }
}
