package io.datafabric.despacker.pack;

import io.datafabric.des.io.ObjectSink;
import io.datafabric.des.io.SinkOutput;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;

/**
 * The DES writer's {@link ObjectSink} on a Flink {@link FileSystem} ({@code s3://} through
 * flink-s3-fs-hadoop, {@code file://} for local archives). Objects are written with the file
 * system's {@link RecoverableWriter}: nothing is visible under the final name until the commit (a
 * rename of a hidden in-progress file locally, the completion of a multipart upload on S3), so a
 * crash mid-upload never leaves a partial object under a shard's name. The sink also computes the
 * CRC32C of each committed object.
 */
public final class ArchiveSink implements ObjectSink {
    private final String root;
    private final FileSystem fs;
    private final RecoverableWriter writer;
    private final Map<String, Committed> committed = new ConcurrentHashMap<>();

    /** What was committed under a key. */
    public record Committed(long length, int crc32c) {
        public String checksum() {
            return String.format(java.util.Locale.ROOT, "crc32c:%08x", crc32c);
        }
    }

    public ArchiveSink(String rootUri) throws IOException {
        this.root = rootUri.endsWith("/") ? rootUri.substring(0, rootUri.length() - 1) : rootUri;
        Path path = new Path(this.root);
        this.fs = path.getFileSystem();
        this.writer = fs.createRecoverableWriter();
    }

    public Path path(String key) {
        return new Path(root + "/" + key);
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /**
     * Length and CRC32C of the object last committed under {@code key} by this sink; handed out
     * once (so the sink keeps nothing per object).
     */
    public Committed takeCommitted(String key) {
        Committed c = committed.remove(key);
        if (c == null) {
            throw new IllegalStateException("nothing was committed under " + key);
        }
        return c;
    }

    @Override
    public SinkOutput create(String key) throws IOException {
        committed.remove(key);
        return new Output(key, writer.open(path(key)));
    }

    @Override
    public void delete(String key) throws IOException {
        fs.delete(path(key), false);
    }

    private final class Output extends SinkOutput {
        private final String key;
        private final RecoverableFsDataOutputStream out;
        private final CRC32C crc = new CRC32C();
        private long length;
        private boolean done;

        Output(String key, RecoverableFsDataOutputStream out) {
            this.key = key;
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            length++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            length += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            out.closeForCommit().commit();
            committed.put(key, new Committed(length, (int) crc.getValue()));
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                out.close(); // closing without commit discards: the object never appears
            } catch (IOException ignored) {
                // already failed; nothing was published
            }
        }
    }
}
