package io.datafabric.usage.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.lease.InputLease;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.read.ReadOptions;
import io.datafabric.usage.read.SplitPlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DirectoryEnumerator} with Flink's {@link MockSplitEnumeratorContext} against a real
 * PostgreSQL: the lease first, then listing, the file-name contract, planning, assignment on
 * request, state, splits given back, completed files skipped and the end of a bounded input.
 */
class DirectoryEnumeratorITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    private static JdbcSettings jdbc;

    @TempDir Path dir;

    @BeforeAll
    static void migrate() {
        jdbc = new JdbcSettings(PG.jdbcUrl(), PG.user(), "");
        Migrations.apply(jdbc, "usage");
    }

    private DirectorySourceOptions options(boolean bounded) {
        return new DirectorySourceOptions(
                dir.toString(),
                bounded,
                1_000,
                jdbc,
                new SplitPlanner(1 << 20, 3600),
                new ReadOptions(64 << 10, 1 << 16, 100),
                1000,
                0,
                500,
                null);
    }

    private void write(String name, long bytes) throws Exception {
        StringBuilder text = new StringBuilder();
        while (text.length() < bytes) {
            text.append("1 2\n");
        }
        Files.writeString(dir.resolve(name), text);
    }

    private static List<FileSplit> assigned(MockSplitEnumeratorContext<FileSplit> context) {
        return context.getSplitsAssignmentSequence().stream()
                .map(SplitsAssignment::assignment)
                .flatMap(m -> m.values().stream())
                .flatMap(List::stream)
                .toList();
    }

    @Test
    void plansCompleteFilesAndHandsThemOutOnRequestAfterTakingTheLease() throws Throwable {
        write("a.txt", 1000);
        write("b.txt", (5L << 20) / 2); // three splits
        write("c.txt.tmp", 100);
        write("_expected_totals.csv", 100);
        PG.execute(
                "INSERT INTO usage.files (path, size, mtime, status, period_start, split_size,"
                        + " split_count, owner) VALUES ('"
                        + dir.resolve("done.txt").toUri().toString().replace("file:///", "file:/")
                        + "', 4, now(), 'completed', now(), 1048576, 1, 'old')");
        write("done.txt", 4);

        EnumeratorState snapshot;
        try (MockSplitEnumeratorContext<FileSplit> context = new MockSplitEnumeratorContext<>(2)) {
            DirectoryEnumerator enumerator =
                    new DirectoryEnumerator(
                            context,
                            options(false),
                            new EnumeratorState("lineage-a", List.of(), List.of(), false));
            enumerator.start();
            context.registerReader(new ReaderInfo(0, "localhost"));
            context.registerReader(new ReaderInfo(1, "localhost"));
            enumerator.handleSplitRequest(0, "localhost");
            assertThat(assigned(context))
                    .as("nothing before the lease and the first listing")
                    .isEmpty();
            context.runNextOneTimeCallable(); // lease, then scanning starts
            assertThat(
                            PG.queryLong(
                                    "SELECT count(*) FROM usage.input_leases"
                                            + " WHERE holder = 'lineage-a'"))
                    .isEqualTo(1);
            context.runPeriodicCallable(1); // the first listing
            enumerator.handleSplitRequest(1, "localhost");
            enumerator.handleSplitRequest(0, "localhost");
            List<FileSplit> out = assigned(context);
            assertThat(out).hasSize(3);
            assertThat(out.get(0).path()).endsWith("a.txt");
            assertThat(out.subList(1, 3)).allSatisfy(s -> assertThat(s.path()).endsWith("b.txt"));

            // a reader failed: its split comes back and goes out first
            enumerator.addSplitsBack(List.of(out.get(2)), 0);
            snapshot = enumerator.snapshotState(1);
            assertThat(snapshot.owner()).isEqualTo("lineage-a");
            assertThat(snapshot.pending()).hasSize(2);
            assertThat(snapshot.pending().get(0)).isEqualTo(out.get(2));
            assertThat(snapshot.recent()).hasSize(3); // a, b and the completed done.txt
            enumerator.close();
        }
        assertThat(PG.queryLong("SELECT count(*) FROM usage.input_leases")).as("released").isZero();

        // restored in bounded mode: the pending splits, then no more splits
        try (MockSplitEnumeratorContext<FileSplit> context = new MockSplitEnumeratorContext<>(1)) {
            DirectoryEnumerator enumerator =
                    new DirectoryEnumerator(context, options(true), snapshot);
            enumerator.start();
            context.runNextOneTimeCallable(); // lease, then the (already done) listing is skipped
            context.registerReader(new ReaderInfo(0, "localhost"));
            for (int i = 0; i < 3; i++) {
                enumerator.handleSplitRequest(0, "localhost");
            }
            assertThat(assigned(context)).hasSize(2);
            assertThat(context.hasNoMoreSplits(0)).isTrue();
            enumerator.close();
        }
    }

    @Test
    void aSecondEnumeratorOnTheSameDirectoryFailsTheJobWithAClearError() throws Throwable {
        String key =
                io.datafabric.usage.lease.InputKeys.directory(
                        new org.apache.flink.core.fs.Path(dir.toString())
                                .makeQualified(
                                        new org.apache.flink.core.fs.Path(dir.toString())
                                                .getFileSystem())
                                .toString());
        InputLease other = new InputLease(jdbc, key, "other-lineage", Duration.ofSeconds(30));
        other.acquire();
        try (MockSplitEnumeratorContext<FileSplit> context = new MockSplitEnumeratorContext<>(1)) {
            DirectoryEnumerator enumerator =
                    new DirectoryEnumerator(
                            context,
                            options(false),
                            new EnumeratorState("lineage-b", List.of(), List.of(), false));
            enumerator.start();
            assertThatThrownBy(context::runNextOneTimeCallable)
                    .hasMessageContaining("is being read by another usage deployment")
                    .hasMessageContaining("other-lineage");
            assertThat(context.getPeriodicCallables()).as("no listing without the lease").isEmpty();
            enumerator.close();
        } finally {
            other.release();
        }
    }
}
