package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;

/** {@code usage --input s3://bucket/prefix --bounded} over files in S3-compatible storage. */
class UsageS3ITCase {
    @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    @TempDir Path local;

    @BeforeAll
    static void pointFlinkAtS3Proxy() {
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", S3.endpoint());
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", S3.accessKey());
        conf.setString("s3.secret-key", S3.secretKey());
        FileSystem.initialize(conf, null);
    }

    @AfterAll
    static void resetFileSystems() {
        FileSystem.initialize(new Configuration(), null);
    }

    private static Map<Long, Long> expectedTotals(Path csv) throws Exception {
        Map<Long, Long> expected = new HashMap<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f.length == 2 && Character.isDigit(f[0].charAt(0))) {
                expected.put(Long.parseLong(f[0]), Long.parseLong(f[1]));
            }
        }
        return expected;
    }

    @Test
    void sumsCompleteObjectsUnderThePrefixAndIgnoresTemporaryOnes() throws Exception {
        int generated =
                new CommandLine(new GenerateUsageCommand())
                        .execute(
                                "--dir", local.toString(),
                                "--files", "3",
                                "--size-mb", "2",
                                "--consumers", "500",
                                "--seed", "11");
        assertThat(generated).isZero();
        Map<Long, Long> expected = expectedTotals(local.resolve("_expected_totals.csv"));
        assertThat(expected).isNotEmpty();

        List<Path> files;
        try (Stream<Path> listing = Files.list(local)) {
            files = listing.filter(p -> !p.getFileName().toString().startsWith("_")).toList();
        }
        assertThat(files).hasSize(3);
        for (Path file : files) {
            S3.client()
                    .putObject(
                            b -> b.bucket(S3.bucket()).key("in/" + file.getFileName()),
                            RequestBody.fromFile(file));
        }
        // Objects still being written by the generator's contract must never be read.
        S3.client()
                .putObject(
                        b -> b.bucket(S3.bucket()).key("in/half-written.tmp"),
                        RequestBody.fromString("1 999999\n"));
        S3.client()
                .putObject(
                        b -> b.bucket(S3.bucket()).key("in/.hidden"),
                        RequestBody.fromString("2 999999\n"));

        String[] args = {
            "--input",
            "s3://" + S3.bucket() + "/in",
            "--jdbc-url",
            PG.jdbcUrl(),
            "--jdbc-user",
            PG.user(),
            "--parallelism",
            "2",
            "--bounded",
            "--split-size",
            "1m"
        };
        assertThat(new CommandLine(new UsageCommand()).execute(args)).isZero();
        assertThat(UsageTestData.totals(PG)).isEqualTo(expected);
        assertThat(UsageTestData.completedFiles(PG)).isEqualTo(3);

        // A second run over the same objects finds nothing new and changes nothing.
        assertThat(new CommandLine(new UsageCommand()).execute(args)).isZero();
        assertThat(UsageTestData.totals(PG)).isEqualTo(expected);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.files")).isEqualTo(3);
    }
}
