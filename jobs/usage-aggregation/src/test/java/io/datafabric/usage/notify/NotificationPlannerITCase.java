package io.datafabric.usage.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.lease.InputLease;
import io.datafabric.usage.lease.InputLeasedException;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.read.SplitPlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NotificationPlanner} in Flink's operator test harness against a real PostgreSQL: checks,
 * rejects, the durable record written before splits leave, its state, the recovery of a fresh
 * deployment and the queue's lease.
 */
class NotificationPlannerITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    private static JdbcSettings jdbc;

    @TempDir Path dir;
    private String input;

    @BeforeAll
    static void migrate() {
        jdbc = new JdbcSettings(PG.jdbcUrl(), PG.user(), "");
        Migrations.apply(jdbc, "usage");
    }

    @BeforeEach
    void freshQueue() {
        input = "rabbitmq://127.0.0.1:5672/%2F/q-" + UUID.randomUUID();
    }

    private NotificationPlanner planner() {
        return new NotificationPlanner(
                jdbc, new SplitPlanner(1 << 20, 3600), input, 1000, 0, Duration.ofMillis(500));
    }

    private OneInputStreamOperatorTestHarness<NotificationMessage, FileSplit> harness(
            OperatorSubtaskState restore) throws Exception {
        OneInputStreamOperatorTestHarness<NotificationMessage, FileSplit> h =
                new OneInputStreamOperatorTestHarness<>(
                        planner(), NotificationMessage.Serializer.INSTANCE);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private Path usageFile(String name, long bytes) throws Exception {
        Path f = dir.resolve(name);
        StringBuilder text = new StringBuilder();
        while (text.length() < bytes) {
            text.append("12 34\n");
        }
        Files.writeString(f, text);
        return f;
    }

    private static StreamRecord<NotificationMessage> message(String id, Path f) throws Exception {
        return new StreamRecord<>(
                new NotificationMessage(
                        id, new FileNotification(f.toString(), Files.size(f)).toJson()));
    }

    private static List<String> rejects(
            OneInputStreamOperatorTestHarness<NotificationMessage, FileSplit> h) {
        return h.getSideOutput(NotificationPlanner.REJECTS).stream()
                .map(StreamRecord::getValue)
                .map(ChunkDelta::rejects)
                .flatMap(List::stream)
                .map(r -> new String(r.raw(), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
    }

    private long notified() throws Exception {
        return PG.queryLong(
                "SELECT count(*) FROM usage.notified_files WHERE input = '" + input + "'");
    }

    @Test
    void plansAnnouncedFilesOnceRecordsThemFirstAndRejectsBadMessages() throws Exception {
        Path big = usageFile("big.txt", (5L << 20) / 2);
        Path tmp = usageFile("late.txt.tmp", 10);
        try (OneInputStreamOperatorTestHarness<NotificationMessage, FileSplit> h = harness(null)) {
            h.processElement(message("m-1", big));
            List<FileSplit> splits = h.extractOutputValues();
            assertThat(splits).hasSize(3).allSatisfy(s -> assertThat(s.count()).isEqualTo(3));
            assertThat(notified()).as("recorded before the splits left").isEqualTo(1);

            h.processElement(message("m-2", big));
            h.processElement(new StreamRecord<>(new NotificationMessage(null, "{}")));
            h.processElement(new StreamRecord<>(new NotificationMessage("m-3", "{\"path\":1}")));
            h.processElement(message("m-4", tmp));
            h.processElement(
                    new StreamRecord<>(
                            new NotificationMessage(
                                    "m-5",
                                    new FileNotification(dir.resolve("gone.txt").toString(), 3)
                                            .toJson())));
            assertThat(h.extractOutputValues()).as("the repeated file is dropped").hasSize(3);
            assertThat(rejects(h))
                    .hasSize(4)
                    .anySatisfy(r -> assertThat(r).startsWith("message without correlation id"))
                    .anySatisfy(r -> assertThat(r).startsWith("bad notification"))
                    .anySatisfy(r -> assertThat(r).contains("not complete"))
                    .anySatisfy(r -> assertThat(r).contains("does not exist"));
            assertThat(
                            PG.queryLong(
                                    "SELECT count(*) FROM usage.input_leases WHERE input = '"
                                            + input
                                            + "'"))
                    .as("the planner holds the queue's lease")
                    .isEqualTo(1);
        }
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM usage.input_leases WHERE input = '"
                                        + input
                                        + "'"))
                .as("given up on close")
                .isZero();
    }

    @Test
    void restoredStateKeepsTheLineageAndFreshStateRecoversRecordedFiles() throws Exception {
        Path f = usageFile("f.txt", 1000);
        OperatorSubtaskState snapshot;
        String owner;
        try (OneInputStreamOperatorTestHarness<NotificationMessage, FileSplit> h = harness(null)) {
            h.processElement(message("m-1", f));
            owner = h.extractOutputValues().get(0).owner();
            snapshot = h.snapshot(1, 1);
        }
        // restored from the checkpoint: same lineage, the file is known, nothing re-planned
        try (OneInputStreamOperatorTestHarness<NotificationMessage, FileSplit> h =
                harness(snapshot)) {
            h.setProcessingTime(1);
            h.processElement(message("m-2", f));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(
                            PG.queryLong(
                                    "SELECT count(*) FROM usage.input_leases WHERE holder = '"
                                            + owner
                                            + "'"))
                    .isEqualTo(1);
        }
        // without state (a new deployment): the acknowledged, unfinished file is planned again
        try (OneInputStreamOperatorTestHarness<NotificationMessage, FileSplit> h = harness(null)) {
            h.setProcessingTime(1);
            List<FileSplit> recovered = h.extractOutputValues();
            assertThat(recovered).hasSize(1);
            assertThat(recovered.get(0).path()).endsWith("f.txt");
            assertThat(recovered.get(0).owner()).isNotEqualTo(owner);
            h.processElement(message("m-3", f));
            assertThat(h.extractOutputValues()).as("and not a second time").hasSize(1);
        }
        // once usage.files shows it completed, a fresh deployment leaves it alone
        PG.execute(
                "INSERT INTO usage.files (path, size, mtime, status, period_start, split_size,"
                        + " split_count, owner) SELECT path, size, mtime, 'completed', mtime,"
                        + " 1048576, 1, owner FROM usage.notified_files WHERE input = '"
                        + input
                        + "'");
        try (OneInputStreamOperatorTestHarness<NotificationMessage, FileSplit> h = harness(null)) {
            h.setProcessingTime(1);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aSecondPlannerOnTheSameQueueIsRefused() throws Exception {
        InputLease other = new InputLease(jdbc, input, "other-lineage", Duration.ofSeconds(30));
        other.acquire();
        try {
            assertThatThrownBy(() -> harness(null))
                    .isInstanceOf(InputLeasedException.class)
                    .hasMessageContaining(input)
                    .hasMessageContaining("other-lineage");
        } finally {
            other.release();
        }
    }
}
