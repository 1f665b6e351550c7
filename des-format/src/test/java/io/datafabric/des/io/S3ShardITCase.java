package io.datafabric.des.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.des.DesReader;
import io.datafabric.des.DesWriter;
import io.datafabric.des.FileMetadata;
import io.datafabric.des.ShardSummary;
import io.datafabric.des.TestShards;
import io.datafabric.des.cache.CaffeineIndexCache;
import io.datafabric.des.cache.IndexCache;
import io.datafabric.des.cli.DesCommand;
import io.datafabric.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Shards written to and read from S3 (S3Proxy), with the HTTP requests counted on the client. */
class S3ShardITCase {
    @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

    /** Counts every S3 operation the client executes, by operation name. */
    static final class RequestCounter implements ExecutionInterceptor {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(
                Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = context.request().getClass().getSimpleName().replace("Request", "");
            counts.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        }

        int total() {
            return counts.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        int of(String operation) {
            AtomicInteger count = counts.get(operation);
            return count == null ? 0 : count.get();
        }

        void reset() {
            counts.clear();
        }
    }

    static final RequestCounter COUNTER = new RequestCounter();
    static S3Client client;
    static Map<String, byte[]> files;
    static byte[] bigBody;

    @BeforeAll
    static void writeShards() throws IOException {
        client =
                S3Client.builder()
                        .endpointOverride(URI.create(S3.endpoint()))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(S3.accessKey(), S3.secretKey())))
                        .serviceConfiguration(
                                S3Configuration.builder().pathStyleAccessEnabled(true).build())
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.addExecutionInterceptor(COUNTER))
                        .build();
        files = TestShards.files(400, 3000, 41);
        bigBody = new byte[6 << 20];
        new Random(42).nextBytes(bigBody);
        ObjectSink sink =
                new S3ObjectSink(client, S3.bucket(), "shards/", S3ObjectSink.MIN_PART_SIZE);
        try (DesWriter writer =
                DesWriter.builder(sink, "00/000001.des").bigFileThreshold(1 << 20).build()) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                writer.add(
                        file.getKey(),
                        file.getValue(),
                        FileMetadata.of("application/octet-stream"));
            }
            writer.add("huge.bin", new java.io.ByteArrayInputStream(bigBody), FileMetadata.NONE);
            ShardSummary summary = writer.finish();
            assertThat(summary.sideObjectKeys()).containsExactly("00/_bigFiles/huge.bin");
        }
        // Streaming a 6 MiB body with 5 MiB parts went up as a two-part multipart upload.
        assertThat(COUNTER.of("CreateMultipartUpload")).isEqualTo(1);
        assertThat(COUNTER.of("UploadPart")).isEqualTo(2);
        assertThat(COUNTER.of("CompleteMultipartUpload")).isEqualTo(1);
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    private static S3RangeSource source() {
        return new S3RangeSource(client, S3.bucket(), "shards/00/000001.des");
    }

    private static String someName() {
        return files.keySet().stream().skip(123).findFirst().orElseThrow();
    }

    @Test
    void everyFileReadsBackAndVerifies() throws IOException {
        try (DesReader reader = DesReader.builder(source()).build()) {
            assertThat(reader.entryCount()).isEqualTo(files.size() + 1);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                assertThat(reader.read(file.getKey()).orElseThrow()).isEqualTo(file.getValue());
            }
            assertThat(reader.read("huge.bin").orElseThrow()).isEqualTo(bigBody);
            assertThat(reader.stat("huge.bin").orElseThrow().bigFileRef())
                    .contains("_bigFiles/huge.bin");
            assertThat(reader.verify().bigFileBytes()).isEqualTo(bigBody.length);
        }
    }

    @Test
    void coldReadTakesAtMostThreeRequestsAndWarmReadExactlyOne() throws IOException {
        CaffeineIndexCache cache = IndexCache.bounded(64 << 20);
        // META + INDEX of 401 files are about 45 KB: inside the default 256 KiB tail window.
        COUNTER.reset();
        try (DesReader reader = DesReader.builder(source()).cache(cache).build()) {
            assertThat(reader.read(someName()).orElseThrow()).isEqualTo(files.get(someName()));
            assertThat(COUNTER.total()).isEqualTo(2);
            assertThat(COUNTER.of("GetObject")).isEqualTo(2);

            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                if (file.getValue().length == 0) {
                    continue;
                }
                COUNTER.reset();
                assertThat(reader.read(file.getKey()).orElseThrow()).isEqualTo(file.getValue());
                assertThat(COUNTER.total()).as("warm read of %s", file.getKey()).isEqualTo(1);
            }
            COUNTER.reset();
            byte[] body = files.get(someName());
            assertThat(reader.read(someName(), 5, 50).orElseThrow())
                    .isEqualTo(java.util.Arrays.copyOfRange(body, 5, Math.min(55, body.length)));
            assertThat(COUNTER.total()).isEqualTo(1);
            COUNTER.reset();
            assertThat(reader.read("huge.bin", 1000, 10).orElseThrow())
                    .isEqualTo(java.util.Arrays.copyOfRange(bigBody, 1000, 1010));
            assertThat(COUNTER.total()).isEqualTo(1);
            COUNTER.reset();
            reader.stat(someName());
            reader.list();
            assertThat(reader.read("absent")).isEmpty();
            assertThat(COUNTER.total()).isZero();
        }
    }

    @Test
    void coldReadWithAnIndexLargerThanTheTailWindowTakesThree() throws IOException {
        COUNTER.reset();
        try (DesReader reader =
                DesReader.builder(source()).cache(IndexCache.none()).tailWindow(8192).build()) {
            assertThat(reader.read(someName()).orElseThrow()).isEqualTo(files.get(someName()));
        }
        assertThat(COUNTER.total()).isEqualTo(3);
        assertThat(COUNTER.of("HeadObject")).isZero();
    }

    @Test
    void missingObjectAndAbortedShard() throws IOException {
        S3RangeSource missing = new S3RangeSource(client, S3.bucket(), "shards/nope.des");
        assertThatThrownBy(() -> DesReader.builder(missing).build().list())
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("s3://" + S3.bucket() + "/shards/nope.des");

        ObjectSink sink =
                new S3ObjectSink(client, S3.bucket(), "aborted/", S3ObjectSink.MIN_PART_SIZE);
        try (DesWriter writer = DesWriter.builder(sink, "x.des").bigFileThreshold(10).build()) {
            writer.add("small", new byte[5], FileMetadata.NONE);
            writer.add("big", new byte[100], FileMetadata.NONE);
        }
        assertThat(client.listObjectsV2(b -> b.bucket(S3.bucket()).prefix("aborted/")).contents())
                .isEmpty();
    }

    @Test
    void cliPacksListsCatsAndVerifiesOnS3(@TempDir Path temp) throws IOException {
        Path dir = Files.createDirectories(temp.resolve("in/sub"));
        Files.writeString(dir.resolve("a.txt"), "alpha\n");
        Files.write(temp.resolve("in/empty"), new byte[0]);
        String location = "s3://" + S3.bucket() + "/cli/packed.des";
        String[] s3 = {
            "--s3-endpoint", S3.endpoint(),
            "--s3-access-key", S3.accessKey(),
            "--s3-secret-key", S3.secretKey(),
            "--s3-region", "us-east-1",
            "--s3-path-style", "true"
        };
        assertThat(run(concat("pack-dir", temp.resolve("in").toString(), location), s3).code())
                .isZero();
        assertThat(run(concat("ls", location), s3).out()).isEqualTo("empty\t0\nsub/a.txt\t6\n");
        assertThat(run(concat("cat", location, "sub/a.txt"), s3).out()).isEqualTo("alpha\n");
        assertThat(run(concat("verify", location), s3).code()).isZero();
        Result missing = run(concat("ls", "s3://" + S3.bucket() + "/cli/none.des"), s3);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file or object");
    }

    record Result(int code, String out, String err) {}

    private static String[] concat(String... args) {
        return args;
    }

    private static Result run(String[] args, String[] options) {
        String[] all = new String[args.length + options.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(options, 0, all, args.length, options.length);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter stderr = new StringWriter();
        CommandLine cli = new CommandLine(new DesCommand(stdout));
        cli.setErr(new PrintWriter(stderr, true));
        int code = cli.execute(all);
        return new Result(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString());
    }
}
