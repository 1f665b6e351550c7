package io.datafabric.drms.task;

import io.datafabric.drms.extract.Change;
import io.datafabric.drms.extract.ChangeChunk;
import io.datafabric.drms.extract.IncrementReader;
import io.datafabric.drms.extract.IncrementalExtractor;
import io.datafabric.drms.extract.PrimaryKeyDiff;
import io.datafabric.drms.extract.ReadStart;
import io.datafabric.drms.extract.SliceSource;
import io.datafabric.drms.extract.SnapshotExtractor;
import io.datafabric.drms.load.BatchWriter;
import io.datafabric.drms.load.CursorStore;
import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.load.IncrementStore;
import io.datafabric.drms.load.PgCopyTransfer;
import io.datafabric.drms.load.Stage;
import io.datafabric.drms.load.TargetTable;
import io.datafabric.drms.load.TargetTables;
import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.PostgresDialect;
import io.datafabric.drms.sql.SchemaIntrospector;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableSchema;
import io.datafabric.drms.sql.Values;
import io.datafabric.drms.validate.Comparison;
import io.datafabric.drms.validate.RowHasher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
    private static final String PG_UNIQUE_VIOLATION = "23505";

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
        return new Run(task).execute();
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

    @FunctionalInterface
    private interface BatchWork {
        Outcome apply(Connection target, Stage stage) throws SQLException;
    }

    private record Outcome(EdgeCursor cursor, long upserts, long deletes, BatchInfo.Kind kind) {}

    private final class Run {
        private final EdgeTask task;
        private final Instant started;
        private final Instant deadline;
        private SliceSource slice;
        private TableSchema sourceStaging;
        private TargetTable target;
        private BatchWriter writer;
        private CursorStore cursors;
        private EdgeCursor cursor;
        private String stored;
        private String from;
        private long upserted;
        private long deleted;
        private long skipped;
        private int batches;
        private boolean caughtUp = true;
        private boolean snapshotStarted;
        private boolean snapshotLoaded;
        private boolean diffCompleted;

        /** Keys written or deleted by this run (for WINDOW validation), until it gets too big. */
        private final Map<String, List<Object>> touched = new java.util.LinkedHashMap<>();

        private boolean touchedOverflow;

        Run(EdgeTask task) {
            this.task = task;
            this.started = clock.instant();
            this.deadline = task.maxDuration() == null ? null : started.plus(task.maxDuration());
        }

        TaskResult execute() throws SQLException {
            prepare();
            if (task.mode() == EdgeTask.Mode.SNAPSHOT) {
                snapshotMode();
            } else {
                incrementalMode();
            }
            long pruned = prune();
            Comparison validation = caughtUp ? validate() : null;
            TaskResult r =
                    new TaskResult(
                            task.edgeId(),
                            cursor.phase(),
                            upserted,
                            deleted,
                            skipped,
                            batches,
                            from,
                            stored,
                            caughtUp,
                            snapshotStarted,
                            validation,
                            pruned,
                            Duration.between(started, clock.instant()),
                            snapshotLoaded,
                            diffCompleted);
            LOG.info(
                    "edge {}: {} upserted, {} deleted, {} unchanged in {} batches ({}), phase {}{}",
                    task.edgeId(),
                    upserted,
                    deleted,
                    skipped,
                    batches,
                    caughtUp ? "caught up" : "stopped early",
                    cursor.phase(),
                    validation == null ? "" : ", " + validation);
            return r;
        }

        private void prepare() throws SQLException {
            SqlDialect sd = task.source().dialect();
            TableSchema table;
            try (Connection c = task.source().connect()) {
                SchemaIntrospector in = new SchemaIntrospector(sd);
                table = in.require(c, task.sourceTable());
                if (!task.keyColumns().isEmpty()) {
                    table = table.withPrimaryKey(task.keyColumns());
                }
                if (task.sourceKind() == EdgeTask.SourceKind.STAGING) {
                    sourceStaging =
                            in.find(c, IncrementStore.stagingName(table.table()))
                                    .orElseThrow(
                                            () ->
                                                    new IllegalArgumentException(
                                                            "edge "
                                                                    + task.edgeId()
                                                                    + " reads increments from "
                                                                    + IncrementStore.stagingName(
                                                                            task.sourceTable())
                                                                    + " but that table does not"
                                                                    + " exist"));
                }
            }
            List<String> cols = task.columns().isEmpty() ? table.columnNames() : task.columns();
            slice = new SliceSource(task.source(), table, cols, task.filter(), task.softDelete());
            target =
                    new TargetTables()
                            .ensure(
                                    task.target(),
                                    task.targetTable(),
                                    slice.sliceSchema(),
                                    task.stageIncrements());
            writer = BatchWriter.forDialect(task.target().dialect());
            cursors = new CursorStore(task.target().dialect(), task.targetTable().schema());
            try (Connection c = task.target().connect()) {
                stored = cursors.read(c, task.edgeId()).orElse(null);
            }
            from = stored;
            cursor = stored == null ? null : EdgeCursor.fromJson(stored);
            checkCompatible();
        }

        private void checkCompatible() {
            if (cursor == null) {
                return;
            }
            if (cursor.snapshot() != null && !cursor.snapshot().keyColumns().equals(slice.key())) {
                throw new IllegalStateException(
                        "edge "
                                + task.edgeId()
                                + " has a snapshot paged by "
                                + cursor.snapshot().keyColumns()
                                + " but the source key is now "
                                + slice.key()
                                + "; reset the edge");
            }
            if (cursor.position() != null
                    && task.mode() == EdgeTask.Mode.INCREMENTAL
                    && !cursor.position().columns().equals(readerCursorColumns())) {
                throw new IllegalStateException(
                        "edge "
                                + task.edgeId()
                                + " stored a position over "
                                + cursor.position().columns()
                                + " but now reads by "
                                + readerCursorColumns()
                                + "; reset the edge");
            }
        }

        // ---- modes ----

        private void snapshotMode() throws SQLException {
            if (cursor == null || cursor.phase() != EdgeCursor.Phase.SNAPSHOT) {
                startSnapshot(false);
            }
            boolean direct = cursor.snapshot().direct();
            if (runSnapshot() && !direct) {
                // The target equals the slice only once the diff removed what it lacks.
                String diffStarted = clock.instant().toString();
                if (runDiff()) {
                    stamp(cursor.withRules(rulesOr(cursor)).withDeleteDiffAt(diffStarted));
                }
            }
        }

        private String rulesOr(EdgeCursor c) {
            return task.rulesFingerprint() != null ? task.rulesFingerprint() : c.rules();
        }

        /**
         * Writes a cursor that differs from the stored one only in what it records (rules, diff
         * time): no rows, so no batch id is taken, under the same lock and check as a batch.
         */
        private void stamp(EdgeCursor next) throws SQLException {
            if (next.equals(cursor)) {
                return;
            }
            String json = next.toJson();
            try (Connection c = task.target().connect()) {
                c.setAutoCommit(false);
                try {
                    cursors.lock(c, task.edgeId(), stored);
                    cursors.write(c, task.edgeId(), json, stored, now());
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    try {
                        c.rollback();
                    } catch (SQLException r) {
                        e.addSuppressed(r);
                    }
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            stored = json;
            cursor = next;
        }

        /** Whether the primary-key diff is due in this incremental run. */
        private boolean diffDue() {
            if (task.deleteDiff()) {
                return true;
            }
            if (task.deleteDiffInterval() == null || sourceStaging != null) {
                return false;
            }
            String last = cursor.deleteDiffAt();
            return last == null
                    || !Instant.parse(last)
                            .plus(task.deleteDiffInterval())
                            .isAfter(clock.instant());
        }

        private void incrementalMode() throws SQLException {
            if (cursor == null
                    || (cursor.phase() == EdgeCursor.Phase.IDLE && cursor.position() == null)) {
                startSnapshot(false);
            } else if (cursor.phase() == EdgeCursor.Phase.IDLE) {
                cursor = cursor.withPhase(EdgeCursor.Phase.INCREMENTAL);
            }
            if (cursor.phase() == EdgeCursor.Phase.SNAPSHOT && !runSnapshot()) {
                return;
            }
            if (sourceStaging != null && missedIncrements()) {
                LOG.warn(
                        "edge {}: increments it had not read were pruned from {}; re-snapshotting",
                        task.edgeId(),
                        sourceStaging.table());
                startSnapshot(true);
                if (!runSnapshot()) {
                    return;
                }
            }
            if (!runIncremental()) {
                return;
            }
            if (diffDue()) {
                String diffStarted = clock.instant().toString();
                if (runDiff() && task.deleteDiffInterval() != null) {
                    // Recorded only for diffs on a schedule: a forced one leaves the cursor as is.
                    stamp(cursor.withDeleteDiffAt(diffStarted));
                }
            }
        }

        // ---- snapshot ----

        private void startSnapshot(boolean forceUpsert) throws SQLException {
            boolean direct = !forceUpsert && targetIsEmpty();
            EdgeCursor.Position position = cursor == null ? null : cursor.position();
            if (task.mode() == EdgeTask.Mode.INCREMENTAL) {
                position = positionBeforeSnapshot();
            }
            EdgeCursor base =
                    cursor == null
                            ? EdgeCursor.initial(EdgeCursor.Phase.SNAPSHOT)
                            : cursor.withPhase(EdgeCursor.Phase.SNAPSHOT);
            cursor =
                    base.withSnapshot(
                                    new EdgeCursor.Snapshot(
                                            slice.key(), null, direct, now().toString(), 0))
                            .withPosition(position);
            snapshotStarted = true;
        }

        /** Where increments continue once the snapshot that starts now is loaded. */
        private EdgeCursor.Position positionBeforeSnapshot() throws SQLException {
            if (sourceStaging != null) {
                IncrementReader reader = incrementReader();
                OptionalLong max = reader.maxBatch();
                return new EdgeCursor.Position(
                        reader.cursorColumns(), List.of(Long.toString(max.orElse(0))));
            }
            IncrementalExtractor ex = cursorExtractor();
            List<Object> hw = ex.highWater();
            return hw == null
                    ? null
                    : new EdgeCursor.Position(ex.cursorColumns(), EdgeCursor.encode(hw));
        }

        private boolean targetIsEmpty() throws SQLException {
            TableSchema t = target.table();
            SqlQuery q =
                    Select.from(t)
                            .columns(List.of(t.primaryKey().get(0)))
                            .limit(1)
                            .render(task.target().dialect());
            try (Connection c = task.target().connect();
                    PreparedStatement ps = c.prepareStatement(q.sql())) {
                q.bind(ps, task.target().dialect());
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next();
                }
            }
        }

        private EdgeCursor finishedSnapshot(EdgeCursor c) {
            EdgeCursor.Snapshot pass = c.snapshot();
            EdgeCursor done =
                    c.withSnapshot(null)
                            .withPhase(
                                    task.mode() == EdgeTask.Mode.SNAPSHOT
                                            ? EdgeCursor.Phase.IDLE
                                            : EdgeCursor.Phase.INCREMENTAL);
            if (pass.direct()) {
                // Copied into an empty target: it holds exactly the slice as of the pass's start.
                return done.withRules(rulesOr(c))
                        .withDeleteDiffAt(Instant.parse(pass.startedAt()).toString());
            }
            // A snapshot-mode pass over a non-empty target is complete only after its diff.
            return task.mode() == EdgeTask.Mode.INCREMENTAL ? done.withRules(rulesOr(c)) : done;
        }

        /** Loads snapshot chunks; true when the pass completed. */
        private boolean runSnapshot() throws SQLException {
            SnapshotExtractor ex = new SnapshotExtractor(slice, task.fetchSize());
            boolean pgToPg =
                    task.source().dialect() instanceof PostgresDialect
                            && task.target().dialect() instanceof PostgresDialect;
            int chunk = pgToPg ? task.copyChunkRows() : task.chunkSize();
            while (true) {
                if (budgetSpent()) {
                    caughtUp = false;
                    return false;
                }
                EdgeCursor.Snapshot s = cursor.snapshot();
                List<Object> after =
                        s.after() == null
                                ? null
                                : EdgeCursor.decode(s.after(), slice.table().primaryKeyColumns());
                Outcome o;
                try {
                    o = pgToPg ? copyChunk(ex, after, chunk) : jdbcChunk(ex, after, chunk);
                } catch (SQLException e) {
                    if (!s.direct() || !PG_UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // Someone else wrote into the "empty" target: continue with upserts.
                    LOG.warn(
                            "edge {}: target {} got rows from elsewhere during the initial"
                                    + " load; continuing with upserts",
                            task.edgeId(),
                            target.table().table());
                    cursor =
                            cursor.withSnapshot(
                                    new EdgeCursor.Snapshot(
                                            s.keyColumns(),
                                            s.after(),
                                            false,
                                            s.startedAt(),
                                            s.rows()));
                    continue;
                }
                snapshotLoaded = true;
                if (o.upserts() > 0) {
                    // A snapshot touches the whole slice: validate it whole.
                    touchedOverflow = true;
                }
                if (cursor.phase() != EdgeCursor.Phase.SNAPSHOT) {
                    return true;
                }
            }
        }

        private Outcome jdbcChunk(SnapshotExtractor ex, List<Object> after, int chunk)
                throws SQLException {
            List<Object[]> rows = ex.readChunk(after, chunk);
            EdgeCursor.Snapshot s = cursor.snapshot();
            EdgeCursor next =
                    rows.size() < chunk
                            ? finishedSnapshot(cursor)
                            : cursor.withSnapshot(
                                    new EdgeCursor.Snapshot(
                                            s.keyColumns(),
                                            EdgeCursor.encode(ex.keyOf(rows.get(rows.size() - 1))),
                                            s.direct(),
                                            s.startedAt(),
                                            s.rows() + rows.size()));
            return commit(
                    (c, stage) -> {
                        if (s.direct()) {
                            writer.insertNew(c, target, rows);
                        } else {
                            writer.upsert(c, target, rows, stage);
                        }
                        return new Outcome(
                                next,
                                rows.size(),
                                0,
                                rows.isEmpty() ? BatchInfo.Kind.CURSOR : BatchInfo.Kind.SNAPSHOT);
                    });
        }

        private Outcome copyChunk(SnapshotExtractor ex, List<Object> after, int chunk)
                throws SQLException {
            Select select = ex.chunkQuery(after, chunk);
            int[] keyIdx = new int[slice.key().size()];
            for (int i = 0; i < keyIdx.length; i++) {
                keyIdx[i] = slice.columns().indexOf(slice.key().get(i));
            }
            EdgeCursor.Snapshot s = cursor.snapshot();
            EdgeCursor current = cursor;
            return commit(
                    (c, stage) -> {
                        PgCopyTransfer.Result r;
                        try (Connection src = task.source().connect()) {
                            r =
                                    new PgCopyTransfer()
                                            .copyChunk(
                                                    src,
                                                    c,
                                                    select,
                                                    keyIdx,
                                                    slice.table().primaryKeyColumns(),
                                                    target,
                                                    s.direct(),
                                                    stage);
                        }
                        EdgeCursor next =
                                r.rows() < chunk
                                        ? finishedSnapshot(current)
                                        : current.withSnapshot(
                                                new EdgeCursor.Snapshot(
                                                        s.keyColumns(),
                                                        EdgeCursor.encode(r.lastKey()),
                                                        s.direct(),
                                                        s.startedAt(),
                                                        s.rows() + r.rows()));
                        return new Outcome(
                                next,
                                r.rows(),
                                0,
                                r.rows() == 0 ? BatchInfo.Kind.CURSOR : BatchInfo.Kind.SNAPSHOT);
                    });
        }

        // ---- increments ----

        private IncrementalExtractor cursorExtractor() {
            return new IncrementalExtractor(slice, task.cursorColumns(), task.fetchSize());
        }

        private IncrementReader incrementReader() {
            return new IncrementReader(slice, sourceStaging, task.fetchSize());
        }

        private List<String> readerCursorColumns() {
            return sourceStaging != null
                    ? incrementReader().cursorColumns()
                    : cursorExtractor().cursorColumns();
        }

        /** True when batches after this edge's position were pruned from the source's staging. */
        private boolean missedIncrements() throws SQLException {
            EdgeCursor.Position p = cursor.position();
            OptionalLong pruned = incrementReader().prunedThrough();
            if (pruned.isEmpty()) {
                return false;
            }
            long consumed = p == null ? -1 : Long.parseLong(p.values().get(0));
            boolean midBatch = p != null && !p.isBoundary();
            return pruned.getAsLong() > consumed || (midBatch && pruned.getAsLong() == consumed);
        }

        /** Loads changes until caught up; true when it did. */
        private boolean runIncremental() throws SQLException {
            boolean staged = sourceStaging != null;
            IncrementalExtractor cursorReader = staged ? null : cursorExtractor();
            IncrementReader stagingReader = staged ? incrementReader() : null;
            List<Column> cursorDefs =
                    staged ? stagingReader.cursorColumnDefs() : cursorReader.cursorColumnDefs();
            List<String> cursorNames =
                    staged ? stagingReader.cursorColumns() : cursorReader.cursorColumns();
            EdgeCursor.Position pos = cursor.position();
            List<Object> reached =
                    pos == null || pos.isBoundary()
                            ? null
                            : EdgeCursor.decode(pos.values(), cursorDefs);
            ReadStart start = startOf(pos, cursorDefs, staged);
            while (true) {
                if (budgetSpent()) {
                    caughtUp = false;
                    return false;
                }
                ChangeChunk ch =
                        staged
                                ? stagingReader.read(start, task.chunkSize())
                                : cursorReader.read(start, task.chunkSize());
                if (ch.rowsRead() == 0) {
                    if (staged && pos != null && !pos.isBoundary()) {
                        // Everything visible was read: the batch at the position is complete.
                        EdgeCursor.Position boundary =
                                new EdgeCursor.Position(cursorNames, List.of(pos.values().get(0)));
                        EdgeCursor next = cursor.withPosition(boundary);
                        commit((c, stage) -> new Outcome(next, 0, 0, BatchInfo.Kind.CURSOR));
                    }
                    return true;
                }
                boolean exhausted = ch.exhausted(task.chunkSize());
                List<Object[]> upserts = new ArrayList<>();
                List<Object[]> deletes = new ArrayList<>();
                List<Object[]> reread = new ArrayList<>();
                List<Object[]> rereadDeletes = new ArrayList<>();
                for (int i = 0; i < ch.changes().size(); i++) {
                    Change change = ch.changes().get(i);
                    boolean again =
                            reached != null
                                    && compareTuples(ch.cursorsOfRows().get(i), reached) <= 0;
                    if (!change.upsert()) {
                        (again ? rereadDeletes : deletes).add(change.key());
                    } else if (again) {
                        reread.add(change.row());
                    } else {
                        upserts.add(change.row());
                    }
                }
                // Rows read again inside the look-back window: only what the target lacks or
                // holds differently is written (and staged) again.
                if (!reread.isEmpty()) {
                    List<Object[]> changed = changedInTarget(reread);
                    skipped += reread.size() - changed.size();
                    upserts.addAll(changed);
                }
                if (!rereadDeletes.isEmpty()) {
                    deletes.addAll(presentInTarget(rereadDeletes));
                }
                List<Object> newest =
                        reached == null || compareTuples(ch.last(), reached) > 0
                                ? ch.last()
                                : reached;
                EdgeCursor.Position newPos =
                        staged && exhausted
                                ? new EdgeCursor.Position(
                                        cursorNames, List.of(Values.canonical(newest.get(0))))
                                : new EdgeCursor.Position(cursorNames, EdgeCursor.encode(newest));
                EdgeCursor next = cursor.withPosition(newPos);
                List<Object[]> gone = new ArrayList<>();
                boolean noop = upserts.isEmpty() && deletes.isEmpty() && newPos.equals(pos);
                if (!noop) {
                    commit(
                            (c, stage) -> {
                                gone.addAll(writer.delete(c, target, deletes, stage));
                                writer.upsert(c, target, upserts, stage);
                                return new Outcome(
                                        next,
                                        upserts.size(),
                                        gone.size(),
                                        BatchInfo.Kind.INCREMENT);
                            });
                }
                for (Object[] k : gone) {
                    touch(k);
                }
                for (Object[] r : upserts) {
                    touch(target.keyOf(r));
                }
                reached = newest;
                pos = newPos;
                start = ReadStart.after(ch.last());
                if (exhausted) {
                    return true;
                }
            }
        }

        private ReadStart startOf(EdgeCursor.Position pos, List<Column> defs, boolean staged) {
            if (pos == null) {
                return ReadStart.beginning();
            }
            if (pos.isBoundary()) {
                return ReadStart.from(
                        Values.coerce(pos.values().get(0), defs.get(0).type()), false);
            }
            List<Object> values = EdgeCursor.decode(pos.values(), defs);
            boolean lookback =
                    !staged && (!task.lookback().isZero() || task.sequenceLookback() > 0);
            if (lookback) {
                return ReadStart.from(
                        Values.minus(values.get(0), task.lookback(), task.sequenceLookback()),
                        true);
            }
            return ReadStart.after(values);
        }

        /** Of re-read rows, those that differ from (or are missing in) the target. */
        private List<Object[]> changedInTarget(List<Object[]> rows) throws SQLException {
            List<ColumnType> types = slice.columnDefs().stream().map(Column::type).toList();
            RowHasher canon = new RowHasher(types);
            int[] keyIdx = target.keyIndexes();
            List<Column> keyDefs = slice.table().primaryKeyColumns();
            Map<String, String> inTarget = new HashMap<>();
            List<Column> targetCols = target.columns();
            for (int from = 0; from < rows.size(); from += 500) {
                List<List<Object>> keys = new ArrayList<>();
                for (Object[] r : rows.subList(from, Math.min(rows.size(), from + 500))) {
                    keys.add(Arrays.asList(target.keyOf(r)));
                }
                SqlQuery q =
                        Select.from(target.table())
                                .keyIn(target.table().primaryKey(), keys)
                                .render(task.target().dialect());
                SqlDialect d = task.target().dialect();
                try (Connection c = task.target().connect();
                        PreparedStatement ps = c.prepareStatement(q.sql())) {
                    q.bind(ps, d);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Object[] t = new Object[targetCols.size()];
                            for (int i = 0; i < t.length; i++) {
                                t[i] = d.read(rs, i + 1, targetCols.get(i).type());
                            }
                            inTarget.put(keyIdentity(t, keyIdx, keyDefs), canon.canonicalText(t));
                        }
                    }
                }
            }
            List<Object[]> changed = new ArrayList<>();
            for (Object[] r : rows) {
                String now = inTarget.get(keyIdentity(r, keyIdx, keyDefs));
                if (now == null || !now.equals(canon.canonicalText(r))) {
                    changed.add(r);
                }
            }
            return changed;
        }

        /** Of keys (target key order), those present in the target. */
        private List<Object[]> presentInTarget(List<Object[]> keys) throws SQLException {
            List<Column> keyDefs = slice.table().primaryKeyColumns();
            int[] idx = new int[keyDefs.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            java.util.Set<String> present = new java.util.HashSet<>();
            List<String> key = target.table().primaryKey();
            List<Column> targetKeyDefs = target.table().primaryKeyColumns();
            SqlDialect d = task.target().dialect();
            for (int from = 0; from < keys.size(); from += 500) {
                List<List<Object>> part = new ArrayList<>();
                for (Object[] k : keys.subList(from, Math.min(keys.size(), from + 500))) {
                    part.add(Arrays.asList(k));
                }
                SqlQuery q = Select.from(target.table()).columns(key).keyIn(key, part).render(d);
                try (Connection c = task.target().connect();
                        PreparedStatement ps = c.prepareStatement(q.sql())) {
                    q.bind(ps, d);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Object[] k = new Object[key.size()];
                            for (int i = 0; i < k.length; i++) {
                                k[i] = d.read(rs, i + 1, targetKeyDefs.get(i).type());
                            }
                            present.add(keyIdentity(k, idx, keyDefs));
                        }
                    }
                }
            }
            List<Object[]> out = new ArrayList<>();
            for (Object[] k : keys) {
                if (present.contains(keyIdentity(k, idx, keyDefs))) {
                    out.add(k);
                }
            }
            return out;
        }

        private String keyIdentity(Object[] row, int[] keyIdx, List<Column> keyDefs) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < keyIdx.length; i++) {
                ColumnType t = keyDefs.get(i).type();
                sb.append(Values.canonical(Values.coerce(row[keyIdx[i]], t), t)).append('\u0000');
            }
            return sb.toString();
        }

        /** Remembers a key (target's values, key order) for WINDOW validation. */
        private void touch(Object[] key) {
            if (touchedOverflow) {
                return;
            }
            List<Column> defs = slice.table().primaryKeyColumns();
            List<Object> k = new ArrayList<>(key.length);
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < key.length; i++) {
                ColumnType t = defs.get(i).type();
                Object v = Values.coerce(key[i], t);
                k.add(v);
                id.append(Values.canonical(v, t)).append('\u0000');
            }
            touched.put(id.toString(), k);
            if (touched.size() > WINDOW_KEY_LIMIT) {
                touchedOverflow = true;
                touched.clear();
            }
        }

        private int compareTuples(List<Object> a, List<Object> b) {
            for (int i = 0; i < a.size(); i++) {
                int c = Values.compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }

        // ---- deletes by diff ----

        /** Deletes what the target has beyond the slice; true when the diff went through. */
        private boolean runDiff() throws SQLException {
            PrimaryKeyDiff diff =
                    // Keys are small: pages larger than a row batch keep the walk to few queries.
                    new PrimaryKeyDiff(
                            slice,
                            task.target(),
                            target.table(),
                            Math.max(task.chunkSize(), DIFF_PAGE_ROWS));
            while (true) {
                if (budgetSpent()) {
                    caughtUp = false;
                    return false;
                }
                List<Object[]> keys = diff.next();
                if (keys.isEmpty()) {
                    diffCompleted = true;
                    return true;
                }
                EdgeCursor same = cursor;
                List<Object[]> gone = new ArrayList<>();
                commit(
                        (c, stage) -> {
                            gone.addAll(writer.delete(c, target, keys, stage));
                            return new Outcome(same, 0, gone.size(), BatchInfo.Kind.DIFF);
                        });
                for (Object[] k : gone) {
                    touch(k);
                }
            }
        }

        // ---- batches ----

        private Outcome commit(BatchWork work) throws SQLException {
            long batchId = (cursor == null ? 0 : cursor.batch()) + 1;
            OffsetDateTime now = now();
            Stage stage = new Stage(batchId, now);
            Outcome o;
            BatchInfo info;
            String json;
            EdgeCursor next;
            try (Connection c = task.target().connect()) {
                c.setAutoCommit(false);
                try {
                    cursors.lock(c, task.edgeId(), stored);
                    o = work.apply(c, stage);
                    EdgeCursor oc = o.cursor();
                    next = oc.withBatch(batchId);
                    json = next.toJson();
                    cursors.write(c, task.edgeId(), json, stored, now);
                    info =
                            new BatchInfo(
                                    task.edgeId(),
                                    batchId,
                                    o.kind(),
                                    (int) Math.min(Integer.MAX_VALUE, o.upserts()),
                                    (int) Math.min(Integer.MAX_VALUE, o.deletes()),
                                    json);
                    listener.beforeCommit(info);
                    c.commit();
                } catch (SQLException | RuntimeException | Error e) {
                    try {
                        c.rollback();
                    } catch (SQLException r) {
                        e.addSuppressed(r);
                    }
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            stored = json;
            cursor = next;
            batches++;
            upserted += o.upserts();
            deleted += o.deletes();
            LOG.debug(
                    "edge {}: batch {} ({}) committed: {} upserts, {} deletes",
                    task.edgeId(),
                    batchId,
                    o.kind(),
                    o.upserts(),
                    o.deletes());
            listener.afterCommit(info);
            return o;
        }

        private boolean budgetSpent() {
            return batches >= task.maxChunks()
                    || (deadline != null && clock.instant().isAfter(deadline));
        }

        private OffsetDateTime now() {
            return clock.instant().atOffset(ZoneOffset.UTC);
        }

        // ---- after the load ----

        private long prune() throws SQLException {
            if (!target.staged() || task.incrementRetention() == null) {
                return 0;
            }
            try (Connection c = task.target().connect()) {
                return new IncrementStore(task.target().dialect())
                        .prune(c, target.increments().table(), task.incrementRetention(), now());
            }
        }

        private Comparison validate() throws SQLException {
            if (task.validation() == EdgeTask.Validation.NONE) {
                return null;
            }
            ValidationStep step =
                    new ValidationStep(
                            task,
                            slice,
                            target,
                            sourceStaging,
                            sourceStaging == null && task.mode() == EdgeTask.Mode.INCREMENTAL
                                    ? cursorExtractor().cursorColumns()
                                    : List.of(),
                            task.mode() == EdgeTask.Mode.INCREMENTAL ? cursor.position() : null);
            if (task.validation() == EdgeTask.Validation.WINDOW && !touchedOverflow) {
                return step.compareKeys(new ArrayList<>(touched.values()));
            }
            return step.compareAll();
        }
    }
}
