package io.datafabric.drms.task;

import io.datafabric.drms.load.CursorStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one complete load step of an edge ({@link EdgeTask}): prepares the target (table, {@code
 * <table>__inc}, {@code drms_cursor}), reads the edge's cursor from the target, extracts, loads in
 * batches — each batch and the new cursor in ONE target transaction — propagates deletes, prunes
 * staged increments and optionally validates. Stateless and thread-safe: all progress lives in the
 * target's {@code drms_cursor}, so a crashed or stopped run is simply run again. Runs of the same
 * edge must not overlap (a second runner fails with {@link
 * io.datafabric.drms.load.CursorConflictException} instead of loading twice).
 */
public final class EdgeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeRunner.class);

    /** WINDOW validation compares at most this many touched keys, else the whole slice. */
    static final int WINDOW_KEY_LIMIT = 20_000;

    /** Keys per page of the primary key diff. */
    static final int DIFF_PAGE_ROWS = 50_000;

    private final BatchListener listener;
    private final Clock clock;

    public EdgeRunner() {
        this(BatchListener.NONE, Clock.systemUTC());
    }

    public EdgeRunner(BatchListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    /** Runs the task until it caught up (or hit maxChunks / maxDuration). */
    public TaskResult run(EdgeTask task) throws SQLException {
        return new EdgeRun(task, listener, clock).execute();
    }

    /** Forgets the edge's cursor so that its next run starts over with a snapshot. */
    public boolean reset(EdgeTask task) throws SQLException {
        try (Connection c = task.target().connect()) {
            CursorStore store =
                    new CursorStore(task.target().dialect(), task.targetTable().schema());
            store.ensureTable(c);
            return store.reset(c, task.edgeId());
        }
    }

    /** The edge's stored cursor JSON, if any. */
    public java.util.Optional<String> storedCursor(EdgeTask task) throws SQLException {
        try (Connection c = task.target().connect()) {
            CursorStore store =
                    new CursorStore(task.target().dialect(), task.targetTable().schema());
            store.ensureTable(c);
            return store.read(c, task.edgeId());
        }
    }
}
