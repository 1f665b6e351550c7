package io.datafabric.des.io;

import io.datafabric.des.format.EntryNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Objects as files under a root directory. Each object is written to a hidden temporary file in its
 * target directory and renamed into place on commit, so readers never see a partial file.
 */
public final class LocalDirectorySink implements ObjectSink {
    private final Path root;
    private final boolean fsync;

    /**
     * @param root directory the keys are relative to; created when missing
     * @param fsync whether to force each file to disk before it is renamed into place
     */
    public LocalDirectorySink(Path root, boolean fsync) {
        this.root = root.toAbsolutePath().normalize();
        this.fsync = fsync;
    }

    public LocalDirectorySink(Path root) {
        this(root, false);
    }

    public Path resolve(String key) {
        String problem = EntryNames.problem(key);
        if (problem != null) {
            throw new IllegalArgumentException("unsafe object key '" + key + "': " + problem);
        }
        return root.resolve(key);
    }

    @Override
    public SinkOutput create(String key) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp =
                target.resolveSibling(
                        "." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        FileChannel channel =
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new FileOutput(channel, temp, target);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    private final class FileOutput extends SinkOutput {
        private final FileChannel channel;
        private final Path temp;
        private final Path target;
        private boolean done;

        FileOutput(FileChannel channel, Path temp, Path target) {
            this.channel = channel;
            this.temp = temp;
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }

        @Override
        public void write(ByteBuffer source) throws IOException {
            while (source.hasRemaining()) {
                channel.write(source);
            }
        }

        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            try {
                if (fsync) {
                    channel.force(true);
                }
                channel.close();
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Best effort: the temporary name is hidden and never read.
            }
        }
    }
}
