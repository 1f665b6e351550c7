package io.datafabric.drms.task;

import io.datafabric.drms.extract.IncrementReader;
import io.datafabric.drms.extract.IncrementalExtractor;
import io.datafabric.drms.extract.SnapshotExtractor;
import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.load.PgCopyTransfer;
import io.datafabric.drms.sql.PostgresDialect;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot part of a run: starts a pass (recording where increments continue afterwards), loads
 * the slice chunk by chunk in key order, each chunk committed with the cursor (COPY between
 * PostgreSQL databases), and says when the pass is complete.
 */
final class SnapshotPass {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPass.class);

    private final EdgeRun run;

    SnapshotPass(EdgeRun run) {
        this.run = run;
    }

    // ---- snapshot ----

    void start(boolean forceUpsert) throws SQLException {
        boolean direct = !forceUpsert && targetIsEmpty();
        EdgeCursor.Position position = run.cursor == null ? null : run.cursor.position();
        if (run.task.mode() == EdgeTask.Mode.INCREMENTAL) {
            position = positionBeforeSnapshot();
        }
        EdgeCursor base =
                run.cursor == null
                        ? EdgeCursor.initial(EdgeCursor.Phase.SNAPSHOT)
                        : run.cursor.withPhase(EdgeCursor.Phase.SNAPSHOT);
        run.cursor =
                base.withSnapshot(
                                new EdgeCursor.Snapshot(
                                        run.slice.key(), null, direct, run.now().toString(), 0))
                        .withPosition(position);
        run.snapshotStarted = true;
    }

    /** Where increments continue once the snapshot that starts now is loaded. */
    private EdgeCursor.Position positionBeforeSnapshot() throws SQLException {
        if (run.sourceStaging != null) {
            IncrementReader reader = run.incrementReader();
            OptionalLong max = reader.maxBatch();
            return new EdgeCursor.Position(
                    reader.cursorColumns(), List.of(Long.toString(max.orElse(0))));
        }
        IncrementalExtractor ex = run.cursorExtractor();
        List<Object> hw = ex.highWater();
        return hw == null
                ? null
                : new EdgeCursor.Position(ex.cursorColumns(), EdgeCursor.encode(hw));
    }

    private boolean targetIsEmpty() throws SQLException {
        TableSchema t = run.target.table();
        SqlQuery q =
                Select.from(t)
                        .columns(List.of(t.primaryKey().get(0)))
                        .limit(1)
                        .render(run.task.target().dialect());
        try (Connection c = run.task.target().connect();
                PreparedStatement ps = c.prepareStatement(q.sql())) {
            q.bind(ps, run.task.target().dialect());
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next();
            }
        }
    }

    EdgeCursor finished(EdgeCursor c) {
        EdgeCursor.Snapshot pass = c.snapshot();
        EdgeCursor done =
                c.withSnapshot(null)
                        .withPhase(
                                run.task.mode() == EdgeTask.Mode.SNAPSHOT
                                        ? EdgeCursor.Phase.IDLE
                                        : EdgeCursor.Phase.INCREMENTAL);
        if (pass.direct()) {
            // Copied into an empty target: it holds exactly the slice as of the pass's start.
            return done.withRules(run.rulesOr(c))
                    .withDeleteDiffAt(Instant.parse(pass.startedAt()).toString());
        }
        // A snapshot-mode pass over a non-empty target is complete only after its diff.
        return run.task.mode() == EdgeTask.Mode.INCREMENTAL ? done.withRules(run.rulesOr(c)) : done;
    }

    /** Loads snapshot chunks; true when the pass completed. */
    boolean load() throws SQLException {
        SnapshotExtractor ex = new SnapshotExtractor(run.slice, run.task.fetchSize());
        boolean pgToPg =
                run.task.source().dialect() instanceof PostgresDialect
                        && run.task.target().dialect() instanceof PostgresDialect;
        int chunk = pgToPg ? run.task.copyChunkRows() : run.task.chunkSize();
        while (true) {
            if (run.budgetSpent()) {
                run.caughtUp = false;
                return false;
            }
            EdgeCursor.Snapshot s = run.cursor.snapshot();
            List<Object> after =
                    s.after() == null
                            ? null
                            : EdgeCursor.decode(s.after(), run.slice.table().primaryKeyColumns());
            EdgeRun.Outcome o;
            try {
                o = pgToPg ? copyChunk(ex, after, chunk) : jdbcChunk(ex, after, chunk);
            } catch (SQLException e) {
                if (!s.direct() || !EdgeRun.PG_UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // Someone else wrote into the "empty" target: continue with upserts.
                LOG.warn(
                        "edge {}: target {} got rows from elsewhere during the initial"
                                + " load; continuing with upserts",
                        run.task.edgeId(),
                        run.target.table().table());
                run.cursor =
                        run.cursor.withSnapshot(
                                new EdgeCursor.Snapshot(
                                        s.keyColumns(), s.after(), false, s.startedAt(), s.rows()));
                continue;
            }
            run.snapshotLoaded = true;
            if (o.upserts() > 0) {
                // A snapshot touches the whole slice: validate it whole.
                run.touchedOverflow = true;
            }
            if (run.cursor.phase() != EdgeCursor.Phase.SNAPSHOT) {
                return true;
            }
        }
    }

    private EdgeRun.Outcome jdbcChunk(SnapshotExtractor ex, List<Object> after, int chunk)
            throws SQLException {
        List<Object[]> rows = ex.readChunk(after, chunk);
        EdgeCursor.Snapshot s = run.cursor.snapshot();
        EdgeCursor next =
                rows.size() < chunk
                        ? finished(run.cursor)
                        : run.cursor.withSnapshot(
                                new EdgeCursor.Snapshot(
                                        s.keyColumns(),
                                        EdgeCursor.encode(ex.keyOf(rows.get(rows.size() - 1))),
                                        s.direct(),
                                        s.startedAt(),
                                        s.rows() + rows.size()));
        return run.commit(
                (c, stage) -> {
                    if (s.direct()) {
                        run.writer.insertNew(c, run.target, rows);
                    } else {
                        run.writer.upsert(c, run.target, rows, stage);
                    }
                    return new EdgeRun.Outcome(
                            next,
                            rows.size(),
                            0,
                            rows.isEmpty() ? BatchInfo.Kind.CURSOR : BatchInfo.Kind.SNAPSHOT);
                });
    }

    private EdgeRun.Outcome copyChunk(SnapshotExtractor ex, List<Object> after, int chunk)
            throws SQLException {
        Select select = ex.chunkQuery(after, chunk);
        int[] keyIdx = new int[run.slice.key().size()];
        for (int i = 0; i < keyIdx.length; i++) {
            keyIdx[i] = run.slice.columns().indexOf(run.slice.key().get(i));
        }
        EdgeCursor.Snapshot s = run.cursor.snapshot();
        EdgeCursor current = run.cursor;
        return run.commit(
                (c, stage) -> {
                    PgCopyTransfer.Result r;
                    try (Connection src = run.task.source().connect()) {
                        r =
                                new PgCopyTransfer()
                                        .copyChunk(
                                                src,
                                                c,
                                                select,
                                                keyIdx,
                                                run.slice.table().primaryKeyColumns(),
                                                run.target,
                                                s.direct(),
                                                stage);
                    }
                    EdgeCursor next =
                            r.rows() < chunk
                                    ? finished(current)
                                    : current.withSnapshot(
                                            new EdgeCursor.Snapshot(
                                                    s.keyColumns(),
                                                    EdgeCursor.encode(r.lastKey()),
                                                    s.direct(),
                                                    s.startedAt(),
                                                    s.rows() + r.rows()));
                    return new EdgeRun.Outcome(
                            next,
                            r.rows(),
                            0,
                            r.rows() == 0 ? BatchInfo.Kind.CURSOR : BatchInfo.Kind.SNAPSHOT);
                });
    }
}
