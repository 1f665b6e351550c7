package io.datafabric.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.testing.FlinkMiniCluster;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.generate.UsageGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code generate-usage} and {@code usage --bounded} commands as a user runs them. */
class UsageCommandITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    @TempDir Path dir;

    private int usage(String... extra) {
        String[] base = {
            "--input",
            dir.toString(),
            "--jdbc-url",
            PG.jdbcUrl(),
            "--jdbc-user",
            PG.user(),
            "--parallelism",
            "2",
            "--bounded",
            "--checkpoint-interval",
            "500ms",
            "--split-size",
            "1m"
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return new CommandLine(new UsageCommand()).execute(args);
    }

    @Test
    void aBoundedRunSumsTheGeneratedFilesAndExitsZeroAndASecondRunChangesNothing()
            throws Exception {
        int generated =
                new CommandLine(new GenerateUsageCommand())
                        .execute(
                                "--dir", dir.toString(),
                                "--files", "4",
                                "--size-mb", "1.5",
                                "--consumers", "1000",
                                "--seed", "5");
        assertThat(generated).isZero();
        // the generator's truth, re-derived with the same seed and options
        UsageGenerator truth = new UsageGenerator(1000);
        truth.generate(
                new UsageGenerator.Options(
                        dir.resolve("truth"),
                        4,
                        (long) (1.5 * (1 << 20)),
                        1000,
                        5,
                        0,
                        100_000,
                        "truth"),
                null);
        Map<Long, Long> expected = UsageTestData.expected(truth, 1000, Map.of());

        assertThat(usage()).isZero();
        assertThat(UsageTestData.totals(PG)).isEqualTo(expected);
        assertThat(UsageTestData.completedFiles(PG)).isEqualTo(4);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.files WHERE split_count = 2"))
                .isEqualTo(4);

        assertThat(usage()).isZero();
        assertThat(UsageTestData.totals(PG)).isEqualTo(expected);
    }

    @Test
    void badConfigurationExitsTwoWithOneMessagePerProblem() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code =
                    new CommandLine(new UsageCommand())
                            .execute("--set", "usage.split-size=lots", "--period", "0s");
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(
                        new CommandLine(new UsageCommand())
                                .execute(
                                        "--input", dir.resolve("missing").toString(),
                                        "--jdbc-url", PG.jdbcUrl()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("jdbc.url is required")
                .contains("usage.input")
                .contains("usage.split-size=lots")
                .contains("usage.period must be greater than zero")
                .doesNotContain("Exception");
    }
}
