package io.datafabric.drms.task;

import io.datafabric.drms.extract.IncrementReader;
import io.datafabric.drms.extract.IncrementalExtractor;
import io.datafabric.drms.extract.SliceSource;
import io.datafabric.drms.load.BatchWriter;
import io.datafabric.drms.load.CursorStore;
import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.load.IncrementStore;
import io.datafabric.drms.load.Stage;
import io.datafabric.drms.load.TargetTable;
import io.datafabric.drms.load.TargetTables;
import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.SchemaIntrospector;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.TableSchema;
import io.datafabric.drms.sql.Values;
import io.datafabric.drms.validate.Comparison;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@link EdgeRunner}: the state of the run (the edge's cursor, counters, keys touched)
 * and its order of work — prepare the target, then the snapshot, incremental and delete-diff parts
 * ({@link SnapshotPass}, {@link IncrementPass}, {@link DeleteDiffPass}), each batch committed with
 * the cursor by {@link #commit}, then pruning and validation ({@link ValidationStep}).
 */
final class EdgeRun {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeRun.class);
    static final String PG_UNIQUE_VIOLATION = "23505";

    /** One batch's work inside its target transaction. */
    @FunctionalInterface
    interface BatchWork {
        Outcome apply(Connection target, Stage stage) throws SQLException;
    }

    /** What a batch did: the cursor to commit with it, its rows and its kind. */
    record Outcome(EdgeCursor cursor, long upserts, long deletes, BatchInfo.Kind kind) {}

    final BatchListener listener;
    final Clock clock;
    private final SnapshotPass snapshots;
    private final IncrementPass increments;
    private final DeleteDiffPass diffs;
    final EdgeTask task;
    final Instant started;
    final Instant deadline;
    SliceSource slice;
    TableSchema sourceStaging;
    TargetTable target;
    BatchWriter writer;
    CursorStore cursors;
    EdgeCursor cursor;
    String stored;
    String from;
    long upserted;
    long deleted;
    long skipped;
    int batches;
    boolean caughtUp = true;
    boolean snapshotStarted;
    boolean snapshotLoaded;
    boolean diffCompleted;

    /** Keys written or deleted by this run (for WINDOW validation), until it gets too big. */
    final Map<String, List<Object>> touched = new java.util.LinkedHashMap<>();

    boolean touchedOverflow;

    EdgeRun(EdgeTask task, BatchListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
        this.snapshots = new SnapshotPass(this);
        this.increments = new IncrementPass(this);
        this.diffs = new DeleteDiffPass(this);
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
            snapshots.start(false);
        }
        boolean direct = cursor.snapshot().direct();
        if (snapshots.load() && !direct) {
            // The target equals the slice only once the diff removed what it lacks.
            String diffStarted = clock.instant().toString();
            if (diffs.deleteMissing()) {
                stamp(cursor.withRules(rulesOr(cursor)).withDeleteDiffAt(diffStarted));
            }
        }
    }

    String rulesOr(EdgeCursor c) {
        return task.rulesFingerprint() != null ? task.rulesFingerprint() : c.rules();
    }

    /**
     * Writes a cursor that differs from the stored one only in what it records (rules, diff time):
     * no rows, so no batch id is taken, under the same lock and check as a batch.
     */
    void stamp(EdgeCursor next) throws SQLException {
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

    private void incrementalMode() throws SQLException {
        if (cursor == null
                || (cursor.phase() == EdgeCursor.Phase.IDLE && cursor.position() == null)) {
            snapshots.start(false);
        } else if (cursor.phase() == EdgeCursor.Phase.IDLE) {
            cursor = cursor.withPhase(EdgeCursor.Phase.INCREMENTAL);
        }
        if (cursor.phase() == EdgeCursor.Phase.SNAPSHOT && !snapshots.load()) {
            return;
        }
        if (sourceStaging != null && increments.missedIncrements()) {
            LOG.warn(
                    "edge {}: increments it had not read were pruned from {}; re-snapshotting",
                    task.edgeId(),
                    sourceStaging.table());
            snapshots.start(true);
            if (!snapshots.load()) {
                return;
            }
        }
        if (!increments.load()) {
            return;
        }
        if (diffs.due()) {
            String diffStarted = clock.instant().toString();
            if (diffs.deleteMissing() && task.deleteDiffInterval() != null) {
                // Recorded only for diffs on a schedule: a forced one leaves the cursor as is.
                stamp(cursor.withDeleteDiffAt(diffStarted));
            }
        }
    }

    // ---- increments ----

    IncrementalExtractor cursorExtractor() {
        return new IncrementalExtractor(slice, task.cursorColumns(), task.fetchSize());
    }

    IncrementReader incrementReader() {
        return new IncrementReader(slice, sourceStaging, task.fetchSize());
    }

    List<String> readerCursorColumns() {
        return sourceStaging != null
                ? incrementReader().cursorColumns()
                : cursorExtractor().cursorColumns();
    }

    String keyIdentity(Object[] row, int[] keyIdx, List<Column> keyDefs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keyIdx.length; i++) {
            ColumnType t = keyDefs.get(i).type();
            sb.append(Values.canonical(Values.coerce(row[keyIdx[i]], t), t)).append('\u0000');
        }
        return sb.toString();
    }

    /** Remembers a key (target's values, key order) for WINDOW validation. */
    void touch(Object[] key) {
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
        if (touched.size() > EdgeRunner.WINDOW_KEY_LIMIT) {
            touchedOverflow = true;
            touched.clear();
        }
    }

    int compareTuples(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = Values.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    // ---- batches ----

    Outcome commit(BatchWork work) throws SQLException {
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

    boolean budgetSpent() {
        return batches >= task.maxChunks()
                || (deadline != null && clock.instant().isAfter(deadline));
    }

    OffsetDateTime now() {
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
