package io.datafabric.replication.exec;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.control.ControlPlane;
import io.datafabric.drms.control.TaskRecord;
import io.datafabric.drms.sql.ConnectionPools;
import io.datafabric.drms.sql.Database;
import io.datafabric.replication.schedule.TaskRequest;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the executor's attempts to the control plane's task journal ({@code drms.tasks}) through a
 * small pool of drms-core's {@link ConnectionPools}. The journal is a record, not a gate: a write
 * that fails is logged and the task goes on.
 */
final class TaskLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskLog.class);

    /** Connections to the control plane at most (attempts are logged briefly, one row each). */
    static final int POOL_SIZE = 4;

    private final ConnectionPools pools;
    private final ControlPlane plane;

    TaskLog(JdbcSettings control) {
        this.pools = new ConnectionPools(Duration.ofSeconds(30));
        Database db =
                pools.open(new ConnectionPools.PoolSpec("drms_control", control, null, POOL_SIZE));
        this.plane = new ControlPlane(control, db::connect);
    }

    /** Records the start of an attempt; returns its row id, or -1 when it could not be written. */
    long started(TaskRequest request, int attempt) {
        try {
            return plane.tasks()
                    .started(
                            request.edgeId(),
                            request.kind().sqlName(),
                            request.runId().isEmpty() ? null : request.runId(),
                            attempt);
        } catch (SQLException e) {
            LOG.warn(
                    "cannot record the start of a task of edge {}: {}",
                    request.edgeId(),
                    e.toString());
            return -1;
        }
    }

    /**
     * Records the end of an attempt: {@code report} when it succeeded, else {@code error} with
     * status {@code retrying} or {@code failed}.
     */
    void finished(
            long taskId,
            String status,
            TaskReport report,
            int attempt,
            Exception error,
            TaskRequest request) {
        if (taskId < 0) {
            return;
        }
        try {
            plane.tasks()
                    .finished(
                            new TaskRecord(
                                    taskId,
                                    status,
                                    report == null ? null : report.ranKind().sqlName(),
                                    report == null ? 0 : report.rows(),
                                    report == null ? null : report.cursorFrom(),
                                    report == null ? null : report.cursorTo(),
                                    report == null ? null : report.checksum(),
                                    attempt,
                                    error == null ? null : error.toString(),
                                    report != null
                                            && request.kind() == TaskRequest.Kind.CONVERGE
                                            && report.caughtUp()));
        } catch (SQLException e) {
            LOG.warn(
                    "cannot record the end of a task of edge {}: {}",
                    request.edgeId(),
                    e.toString());
        }
    }

    @Override
    public void close() {
        pools.close();
    }
}
