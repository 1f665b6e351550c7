package io.datafabric.despacker.pack;

import io.datafabric.des.format.DesFormatException;
import io.datafabric.des.io.RangeSource;
import java.io.IOException;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Range reads of an archive object through the Flink {@link FileSystem}, so the packer can verify a
 * shard it wrote with des-format's reader whatever the archive's scheme.
 */
public final class FlinkRangeSource implements RangeSource {
    private final Path path;
    private final FileSystem fs;

    public FlinkRangeSource(Path path) throws IOException {
        this.path = path;
        this.fs = path.getFileSystem();
    }

    @Override
    public String id() {
        return path.toString();
    }

    @Override
    public long size() throws IOException {
        return fs.getFileStatus(path).getLen();
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        byte[] bytes = new byte[length];
        try (FSDataInputStream in = fs.open(path)) {
            in.seek(offset);
            int done = 0;
            while (done < length) {
                int n = in.read(bytes, done, length - done);
                if (n < 0) {
                    throw new DesFormatException(
                            path + " ends before " + (offset + length) + " bytes");
                }
                done += n;
            }
        }
        return bytes;
    }

    @Override
    public RangeSource openSibling(String relativeKey) throws IOException {
        return new FlinkRangeSource(new Path(path.getParent(), relativeKey));
    }

    @Override
    public void close() {}
}
