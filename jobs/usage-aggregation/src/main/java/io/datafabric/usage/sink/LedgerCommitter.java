package io.datafabric.usage.sink;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.usage.read.FileRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the committables of completed checkpoints, oldest first, each in its own transaction (see
 * {@link CommitTransaction}). After recovery Flink hands the same committables again; their ledger
 * rows make the second commit a no-op.
 */
final class LedgerCommitter implements Committer<UsageCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerCommitter.class);
    private static final int MAX_RETRIES = 3;

    private final JdbcSettings jdbc;
    private final FileRegistry registry;
    private Connection connection;
    private final Counter commits;
    private final Counter skipped;
    private final Counter filesCompleted;
    private final Counter rejectsRecorded;
    private final Histogram latency;
    private final Histogram size;
    private volatile long oldestOpenMtime = -1;

    LedgerCommitter(JdbcSettings jdbc, MetricGroup group) {
        this.jdbc = jdbc;
        this.registry = new FileRegistry(jdbc);
        PartMetrics metrics = PartMetrics.of(group, "usage");
        commits = metrics.counter("commits");
        skipped = metrics.counter("commitsSkipped");
        filesCompleted = metrics.counter("filesCompleted");
        rejectsRecorded = metrics.counter("rejectsRecorded");
        latency = metrics.histogram("commitLatencyMs", new DescriptiveStatisticsHistogram(500));
        size = metrics.histogram("commitEntries", new DescriptiveStatisticsHistogram(500));
        metrics.gauge(
                "oldestUncommittedFileAgeSeconds",
                () -> {
                    long m = oldestOpenMtime;
                    return m < 0 ? 0 : (System.currentTimeMillis() - m) / 1000;
                });
    }

    @Override
    public void commit(Collection<CommitRequest<UsageCommittable>> requests) {
        List<CommitRequest<UsageCommittable>> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparingLong(r -> r.getCommittable().checkpointId()));
        boolean failed = false;
        for (CommitRequest<UsageCommittable> request : ordered) {
            if (failed) {
                // later commits wait: split positions must be applied in order
                request.retryLater();
                continue;
            }
            UsageCommittable k = request.getCommittable();
            long started = System.nanoTime();
            try {
                CommitTransaction.Outcome outcome = CommitTransaction.apply(connection(), k);
                if (outcome.applied()) {
                    commits.inc();
                    filesCompleted.inc(outcome.filesCompleted());
                    rejectsRecorded.inc(outcome.rejects());
                    size.update(outcome.entries());
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    latency.update(millis);
                    LOG.info(
                            "commit {} (checkpoint {}): {} consumers, {} lines, {} rejects,"
                                    + " {} files completed in {} ms",
                            k.commitId(),
                            k.checkpointId(),
                            outcome.entries(),
                            outcome.lines(),
                            outcome.rejects(),
                            outcome.filesCompleted(),
                            millis);
                } else {
                    skipped.inc();
                    request.signalAlreadyCommitted();
                    LOG.info("commit {} was applied before; skipped", k.commitId());
                }
            } catch (SQLException | RuntimeException e) {
                failed = true;
                closeConnection();
                if (request.getNumberOfRetries() < MAX_RETRIES) {
                    LOG.warn("commit {} failed; will retry", k.commitId(), e);
                    request.retryLater();
                } else {
                    request.signalFailedWithUnknownReason(e);
                }
            }
        }
        try {
            oldestOpenMtime = registry.oldestOpenFileMtime();
        } catch (SQLException e) {
            LOG.warn("cannot read the oldest open file for the metric", e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = jdbc.connect();
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing a failed connection", e);
            } finally {
                connection = null;
            }
        }
    }

    @Override
    public void close() {
        closeConnection();
        registry.close();
    }
}
