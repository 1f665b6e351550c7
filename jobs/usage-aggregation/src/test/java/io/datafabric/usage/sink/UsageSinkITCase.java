package io.datafabric.usage.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.model.SplitProgress;
import io.datafabric.usage.parse.RejectReason;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink's writer and committer against a real PostgreSQL, through Flink's test harness. */
class UsageSinkITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    private JdbcSettings jdbc;
    private UsageSink sink;

    @BeforeEach
    void schema() throws SQLException {
        jdbc = new JdbcSettings(PG.jdbcUrl(), PG.user(), "");
        Migrations.apply(jdbc, "usage");
        PG.execute(
                "TRUNCATE usage.totals, usage.by_period, usage.files, usage.file_splits,"
                        + " usage.rejects, usage.commits");
        sink = new UsageSink(jdbc);
    }

    private static SplitProgress progress(
            String path,
            int index,
            int count,
            long offset,
            long lines,
            long rejects,
            boolean done) {
        return new SplitProgress(
                path,
                1000,
                1_700_000_000_000L,
                1_699_999_200L,
                500,
                count,
                index,
                "owner-a",
                offset,
                lines + rejects,
                lines,
                rejects,
                offset,
                done);
    }

    private static UsageCommittable committable(ChunkDelta... deltas) {
        UsageWriter writer = new UsageWriter("job-1", 0);
        for (ChunkDelta d : deltas) {
            writer.write(d, null);
        }
        return writer.prepareCommit().iterator().next();
    }

    private OneInputStreamOperatorTestHarness<
                    CommittableMessage<UsageCommittable>, CommittableMessage<UsageCommittable>>
            harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new CommitterOperatorFactory<>(sink, false, true));
    }

    private static void send(
            OneInputStreamOperatorTestHarness<
                            CommittableMessage<UsageCommittable>,
                            CommittableMessage<UsageCommittable>>
                    h,
            long checkpoint,
            UsageCommittable c)
            throws Exception {
        h.processElement(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpoint, 1, 1, 0)));
        h.processElement(new StreamRecord<>(new CommittableWithLineage<>(c, checkpoint, 0)));
    }

    @Test
    void aCheckpointsSumsAreCommittedOnceEvenWhenRecoveryCommitsThemAgain() throws Exception {
        UsageCommittable c =
                committable(
                        new ChunkDelta(
                                progress("file:/in/a.txt", 0, 1, 1000, 3, 0, true),
                                1_699_999_200L,
                                new long[] {1, 2},
                                new long[] {10, 20},
                                List.of()),
                        new ChunkDelta(
                                null, 1_699_999_200L, new long[] {1}, new long[] {5}, List.of()));
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            send(h, 1, c.withCheckpoint(1));
            snapshot = h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
        }
        assertThat(PG.queryLong("SELECT total FROM usage.totals WHERE consumer_id = 1"))
                .isEqualTo(15);
        assertThat(PG.queryLong("SELECT total FROM usage.totals WHERE consumer_id = 2"))
                .isEqualTo(20);

        // recovery from the checkpoint hands the same committable to a new committer
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.notifyOfCompletedCheckpoint(2);
        }
        assertThat(PG.queryLong("SELECT sum(total) FROM usage.totals")).isEqualTo(35);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.commits")).isEqualTo(1);
        assertThat(PG.queryLong("SELECT checkpoint_id FROM usage.commits")).isEqualTo(1);

        // and committing it directly once more changes nothing either
        try (Connection conn = jdbc.connect()) {
            assertThat(CommitTransaction.apply(conn, c).applied()).isFalse();
        }
        assertThat(PG.queryLong("SELECT sum(total) FROM usage.totals")).isEqualTo(35);
        assertThat(PG.queryLong("SELECT sum(amount) FROM usage.by_period")).isEqualTo(35);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.files WHERE status = 'completed'"))
                .isEqualTo(1);
    }

    @Test
    void aFileCompletesInTheTransactionOfItsLastSplitAndItsRejectsGetLineNumbers()
            throws Exception {
        String path = "file:/in/two-splits.txt";
        RejectRow badInSecond =
                new RejectRow(path, 1, 2, 600, RejectReason.SIGN, new byte[] {'-', '1'});
        UsageCommittable first =
                committable(
                        new ChunkDelta(
                                progress(path, 0, 2, 500, 40, 0, true),
                                1_699_999_200L,
                                new long[] {7},
                                new long[] {70},
                                List.of()));
        UsageCommittable second =
                committable(
                        new ChunkDelta(
                                progress(path, 1, 2, 1000, 30, 1, true),
                                1_699_999_200L,
                                new long[] {7},
                                new long[] {30},
                                List.of(badInSecond)));
        try (Connection conn = jdbc.connect()) {
            CommitTransaction.apply(conn, first);
            assertThat(PG.queryLong("SELECT count(*) FROM usage.files WHERE status = 'reading'"))
                    .isEqualTo(1);
            CommitTransaction.Outcome outcome = CommitTransaction.apply(conn, second);
            assertThat(outcome.filesCompleted()).isEqualTo(1);
        }
        assertThat(PG.queryLong("SELECT lines FROM usage.files")).isEqualTo(70);
        assertThat(PG.queryLong("SELECT rejects FROM usage.files")).isEqualTo(1);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.files WHERE completed_at IS NOT NULL"))
                .isEqualTo(1);
        // the first split had 40 lines, so line 2 of the second split is line 42 of the file
        assertThat(PG.queryLong("SELECT line_no FROM usage.rejects")).isEqualTo(42);
        assertThat(PG.queryLong("SELECT total FROM usage.totals WHERE consumer_id = 7"))
                .isEqualTo(100);
    }

    @Test
    void aTotalThatWouldOverflowIsRejectedNotWrapped() throws Exception {
        PG.execute("INSERT INTO usage.totals (consumer_id, total) VALUES (5, 9223372036854775800)");
        UsageCommittable c =
                committable(
                        new ChunkDelta(null, 0, new long[] {5, 6}, new long[] {100, 1}, List.of()));
        try (Connection conn = jdbc.connect()) {
            CommitTransaction.Outcome outcome = CommitTransaction.apply(conn, c);
            assertThat(outcome.entries()).isEqualTo(1);
            assertThat(outcome.amount()).isEqualTo(java.math.BigInteger.ONE);
        }
        assertThat(PG.queryLong("SELECT total FROM usage.totals WHERE consumer_id = 5"))
                .isEqualTo(9223372036854775800L);
        assertThat(PG.queryLong("SELECT total FROM usage.totals WHERE consumer_id = 6"))
                .isEqualTo(1);
        assertThat(PG.queryLong("SELECT count(*) FROM usage.by_period WHERE consumer_id = 5"))
                .isZero();
        assertThat(
                        PG.queryLong(
                                "SELECT count(*) FROM usage.rejects WHERE reason = 'total-overflow'"))
                .isEqualTo(1);
    }

    @Test
    void theLedgerChainsEveryCommitAndDetectsTampering() throws Exception {
        try (Connection conn = jdbc.connect()) {
            for (int i = 1; i <= 3; i++) {
                CommitTransaction.apply(
                        conn,
                        committable(
                                new ChunkDelta(
                                        null, 0, new long[] {i}, new long[] {i * 10L}, List.of())));
            }
            LedgerAudit.Result ok = LedgerAudit.verify(conn);
            assertThat(ok.rows()).isEqualTo(3);
            assertThat(ok.ok()).isTrue();
            assertThat(ok.ledgerAmount().longValue()).isEqualTo(60);

            PG.execute(
                    "UPDATE usage.commits SET amount = amount + 1 WHERE seq = (SELECT min(seq) + 1 FROM usage.commits)");
            LedgerAudit.Result broken = LedgerAudit.verify(conn);
            assertThat(broken.ok()).isFalse();
            assertThat(broken.firstBrokenSeq()).isPositive();
        }
    }
}
