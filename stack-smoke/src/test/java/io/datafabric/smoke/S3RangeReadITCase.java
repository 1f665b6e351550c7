package io.datafabric.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flink's S3 filesystem (flink-s3-fs-hadoop) against S3Proxy: a job writes an object, a second job
 * reads slices of it by seeking, which the S3 filesystem turns into HTTP range requests.
 */
class S3RangeReadITCase {
    @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    private static final int LINES = 200_000;

    @BeforeAll
    static void pointFlinkAtS3Proxy() {
        FileSystem.initialize(s3Config(), null);
    }

    @AfterAll
    static void resetFileSystems() {
        FileSystem.initialize(new Configuration(), null);
    }

    static Configuration s3Config() {
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", S3.endpoint());
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", S3.accessKey());
        conf.setString("s3.secret-key", S3.secretKey());
        return conf;
    }

    static String line(int i) {
        return String.format("line-%08d%n", i);
    }

    @Test
    void jobWritesObjectAndAnotherJobReadsRangesOfIt() throws Exception {
        String object = "s3://" + S3.bucket() + "/smoke/lines.txt";

        StreamExecutionEnvironment writer = StreamExecutionEnvironment.getExecutionEnvironment();
        writer.setRuntimeMode(RuntimeExecutionMode.BATCH);
        writer.fromData(object)
                .map(new WriteLines())
                .returns(Types.LONG)
                .setParallelism(1)
                .executeAndCollect(1);

        long lineLength = line(0).length();
        assertThat(
                        S3.client()
                                .headObject(b -> b.bucket(S3.bucket()).key("smoke/lines.txt"))
                                .contentLength())
                .isEqualTo(LINES * lineLength);

        StreamExecutionEnvironment reader = StreamExecutionEnvironment.getExecutionEnvironment();
        reader.setRuntimeMode(RuntimeExecutionMode.BATCH);
        List<Integer> wanted = List.of(0, 1, 77_777, 150_001, LINES - 1);
        List<String> read = new ArrayList<>();
        try (CloseableIterator<String> it =
                reader.fromData(wanted)
                        .map(new ReadLineAt(object, lineLength))
                        .returns(Types.STRING)
                        .setParallelism(2)
                        .executeAndCollect()) {
            it.forEachRemaining(read::add);
        }
        assertThat(read)
                .containsExactlyInAnyOrderElementsOf(
                        wanted.stream().map(S3RangeReadITCase::line).toList());
    }

    /** Writes the numbered lines to the object and returns the bytes written. */
    static final class WriteLines extends RichMapFunction<String, Long> {
        @Override
        public Long map(String object) throws IOException {
            Path path = new Path(object);
            long written = 0;
            try (FSDataOutputStream out =
                    path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
                for (int i = 0; i < LINES; i++) {
                    byte[] bytes = line(i).getBytes(StandardCharsets.US_ASCII);
                    out.write(bytes);
                    written += bytes.length;
                }
            }
            return written;
        }
    }

    /** Seeks to one line of the object and reads just that line. */
    static final class ReadLineAt extends RichMapFunction<Integer, String> {
        private final String object;
        private final long lineLength;
        private transient FileSystem fs;

        ReadLineAt(String object, long lineLength) {
            this.object = object;
            this.lineLength = lineLength;
        }

        @Override
        public void open(OpenContext context) throws IOException {
            fs = new Path(object).getFileSystem();
        }

        @Override
        public String map(Integer index) throws IOException {
            try (FSDataInputStream in = fs.open(new Path(object))) {
                in.seek(index * lineLength);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[(int) lineLength];
                int n = 0;
                while (n < buf.length) {
                    int r = in.read(buf, n, buf.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                out.write(buf, 0, n);
                return out.toString(StandardCharsets.US_ASCII);
            }
        }
    }
}
