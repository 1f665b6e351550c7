package io.datafabric.des.io;

import io.datafabric.des.format.DesFormatException;
import io.datafabric.des.format.EntryNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local file read with positional reads on one {@link FileChannel}: no shared file pointer, so
 * concurrent readers do not need a lock.
 */
public final class FileRangeSource implements RangeSource {
    private final Path path;
    private final FileChannel channel;

    public FileRangeSource(Path path) throws IOException {
        this.path = path.toAbsolutePath().normalize();
        this.channel = FileChannel.open(this.path, StandardOpenOption.READ);
    }

    @Override
    public String id() {
        return path.toUri().toString();
    }

    public Path path() {
        return path;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        byte[] bytes = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long position = offset;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position);
            if (n < 0) {
                throw new DesFormatException(
                        path
                                + ": object ends at "
                                + position
                                + ", before the end of range ["
                                + offset
                                + ", +"
                                + length
                                + ")");
            }
            position += n;
        }
        return bytes;
    }

    @Override
    public RangeSource openSibling(String relativeKey) throws IOException {
        if (EntryNames.problem(relativeKey) != null) {
            throw new DesFormatException("unsafe side object reference '" + relativeKey + "'");
        }
        return new FileRangeSource(path.resolveSibling(relativeKey));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
