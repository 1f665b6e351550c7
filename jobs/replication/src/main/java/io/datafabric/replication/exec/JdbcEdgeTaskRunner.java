package io.datafabric.replication.exec;

import io.datafabric.drms.extract.SliceSource;
import io.datafabric.drms.graph.EdgeDefinition;
import io.datafabric.drms.graph.ReplicationMode;
import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.SchemaIntrospector;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableName;
import io.datafabric.drms.sql.TableSchema;
import io.datafabric.drms.task.BatchListener;
import io.datafabric.drms.task.EdgeRunner;
import io.datafabric.drms.task.EdgeTask;
import io.datafabric.drms.task.TaskResult;
import io.datafabric.drms.validate.Comparison;
import io.datafabric.drms.validate.Validator;
import io.datafabric.drms.validate.WindowChecksum;
import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.schedule.TaskRequest;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs edges against the real databases with drms-core's {@link EdgeRunner}: each batch commits its
 * rows and the edge's cursor in one target transaction; the run ends with a count and checksum
 * comparison of what it transferred (the window, or the whole slice for a converge run), and a
 * mismatch fails the task so that it is run again.
 *
 * <ul>
 *   <li>{@code incremental}: rows past the cursor (the edge's first run is a snapshot); at most
 *       every {@code deleteDiffInterval} also a primary-key diff for hard deletes at the source.
 *   <li>{@code snapshot} (new or changed rules): the whole slice again, then the rows the target
 *       has beyond it are deleted; the edge's batch numbering goes on, so edges reading this
 *       target's recorded changes keep their place.
 *   <li>{@code converge} (bounded runs): incremental until caught up, then a primary-key diff for
 *       hard deletes and a whole-slice comparison.
 * </ul>
 */
public final class JdbcEdgeTaskRunner implements EdgeTaskRunner {
    private final GraphDatabases pools;
    private final EdgeRunner runner;
    private final int batchRows;
    private final Duration lookback;
    private final Duration slice;
    private final Duration convergeLimit;
    private final Duration deleteDiffInterval;
    private final Map<String, Filter> softDeletes = new ConcurrentHashMap<>();

    /** Reads the source side of whole-slice comparisons while the caller reads the target. */
    private final ExecutorService validators =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "drms-validate");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * @param slice a task stops starting batches after this long (converge runs go on in slices
     *     until caught up, at most {@code convergeLimit})
     * @param deleteDiffInterval how often at most an incremental task of an edge read by cursor
     *     also diffs primary keys (hard deletes)
     * @param listener sees every batch (before and after its commit)
     */
    public JdbcEdgeTaskRunner(
            GraphDatabases pools,
            int batchRows,
            Duration lookback,
            Duration slice,
            Duration convergeLimit,
            Duration deleteDiffInterval,
            BatchListener listener) {
        this.pools = pools;
        this.batchRows = batchRows;
        this.lookback = lookback;
        this.slice = slice;
        this.convergeLimit = convergeLimit;
        this.deleteDiffInterval = deleteDiffInterval;
        this.runner = new EdgeRunner(listener, Clock.systemUTC());
    }

    /** A factory for the executor: pools are opened in the task manager. */
    public static EdgeTaskRunner.Factory factory(ReplicationSettings settings) {
        int poolSize = settings.poolSize();
        int batchRows = settings.batchRows();
        Duration lookback = settings.lookback();
        Duration slice = settings.taskSlice();
        Duration limit = settings.taskTimeout();
        Duration diffEvery = settings.deleteDiffInterval();
        return () ->
                new JdbcEdgeTaskRunner(
                        new GraphDatabases(System.getenv(), poolSize, Duration.ofSeconds(30)),
                        batchRows,
                        lookback,
                        slice,
                        limit,
                        diffEvery,
                        BatchListener.NONE);
    }

    @Override
    public TaskReport run(EdgeDefinition edge, TaskRequest.Kind kind) throws Exception {
        Database source = pools.database(edge.source());
        Database target = pools.database(edge.target());
        EdgeTask.Builder b =
                EdgeTask.builder(edge.edge())
                        .source(source, TableName.parse(edge.sourceTable()))
                        .columns(edge.columns())
                        .filter(FilterAdapter.toFilter(edge.filter()))
                        .cursorColumns(edge.cursor())
                        .sourceKind(
                                edge.stagedSource()
                                        ? EdgeTask.SourceKind.STAGING
                                        : EdgeTask.SourceKind.CURSOR)
                        .target(target, TableName.parse(edge.targetTable()))
                        .chunkSize(batchRows)
                        .lookback(lookback);
        if (edge.softDelete() != null) {
            b.softDelete(softDelete(edge, source));
        }
        EdgeTask.Mode mode =
                edge.mode() == ReplicationMode.SNAPSHOT
                        ? EdgeTask.Mode.SNAPSHOT
                        : EdgeTask.Mode.INCREMENTAL;
        boolean converge = kind == TaskRequest.Kind.CONVERGE;
        String rules = edge.rulesFingerprint();
        b.rulesFingerprint(rules);
        if (kind == TaskRequest.Kind.SNAPSHOT && needsSnapshot(b.build(), rules)) {
            mode = EdgeTask.Mode.SNAPSHOT;
        }
        // The time of the last diff is kept in the edge's cursor, so it survives restarts.
        boolean diffByInterval =
                !converge && !edge.stagedSource() && mode == EdgeTask.Mode.INCREMENTAL;
        b.mode(mode)
                .deleteDiffInterval(diffByInterval ? deleteDiffInterval : null)
                // A converge run compares the whole slice itself, both sides at once.
                .validation(converge ? EdgeTask.Validation.NONE : EdgeTask.Validation.WINDOW)
                // A converge run (bounded runs, backfills) need not report as it goes.
                .maxDuration(converge ? convergeLimit : slice);
        TaskResult r = runner.run(b.build());
        boolean snapshotted = r.snapshotLoaded() || r.snapshotStarted();
        long rows = r.rowsUpserted() + r.rowsDeleted();
        String cursorFrom = r.cursorFrom();
        Comparison comparison = r.validation();
        if (converge) {
            if (edge.mode() == ReplicationMode.INCREMENTAL) {
                b.mode(EdgeTask.Mode.INCREMENTAL);
            }
            long deadline = System.nanoTime() + convergeLimit.toNanos();
            Runs more = catchUp(b, r, deadline);
            r = more.last();
            rows += more.rows();
            if (!r.caughtUp()) {
                throw new IllegalStateException(
                        "edge " + edge.edge() + " did not catch up within " + convergeLimit);
            }
            comparison = compareWholeSlice(edge, source, target, b.build());
            if (!comparison.matches()) {
                // Only now look for what the target has beyond the slice (hard deletes at a
                // source read by cursor): a primary-key diff, then compare again.
                b.deleteDiff(true);
                TaskResult d = runner.run(b.build());
                rows += d.rowsUpserted() + d.rowsDeleted();
                more = catchUp(b, d, deadline);
                r = more.last();
                rows += more.rows();
                comparison = compareWholeSlice(edge, source, target, b.build());
            }
        }
        String checksum = null;
        if (comparison != null) {
            if (!comparison.matches()) {
                throw new ValidationMismatchException(edge.edge(), comparison.toString());
            }
            checksum = comparison.source().count() + ":" + comparison.source().checksumHex();
        }
        TaskRequest.Kind ran =
                converge
                        ? TaskRequest.Kind.CONVERGE
                        : snapshotted ? TaskRequest.Kind.SNAPSHOT : TaskRequest.Kind.INCREMENTAL;
        return new TaskReport(rows, cursorFrom, r.cursorTo(), checksum, r.caughtUp(), ran);
    }

    /**
     * Whether a requested snapshot must run: not when the target already holds the slice these
     * rules define. The scheduler requests one for every edge it does not know, which after a
     * restart without state is every edge; the rules fingerprint recorded in the edge's cursor (in
     * the target, next to the rows) tells whether the rules really changed. A first run snapshots
     * by itself.
     */
    private boolean needsSnapshot(EdgeTask task, String rules) throws SQLException {
        Optional<String> stored = runner.storedCursor(task);
        if (stored.isEmpty()) {
            return false;
        }
        return !rules.equals(EdgeCursor.fromJson(stored.get()).rules());
    }

    /** The last run of a series and the rows the series wrote or removed. */
    private record Runs(TaskResult last, long rows) {}

    /** Runs slice after slice until caught up or out of time. */
    private Runs catchUp(EdgeTask.Builder b, TaskResult r, long deadline) throws SQLException {
        TaskResult last = r;
        long rows = 0;
        while (!last.caughtUp() && System.nanoTime() < deadline) {
            last = runner.run(b.build());
            rows += last.rowsUpserted() + last.rowsDeleted();
        }
        return new Runs(last, rows);
    }

    /**
     * Count and checksum of the whole slice against the whole target, the two sides read at the
     * same time (each on its own connection).
     */
    private Comparison compareWholeSlice(
            EdgeDefinition edge, Database source, Database target, EdgeTask task) throws Exception {
        TableSchema sourceTable;
        try (Connection c = source.connect()) {
            sourceTable = new SchemaIntrospector(source.dialect()).require(c, task.sourceTable());
        }
        TableSchema targetTable;
        try (Connection c = target.connect()) {
            targetTable = new SchemaIntrospector(target.dialect()).require(c, task.targetTable());
        }
        List<String> columns =
                edge.columns().isEmpty() ? sourceTable.columnNames() : edge.columns();
        SliceSource slice =
                new SliceSource(source, sourceTable, columns, task.filter(), task.softDelete());
        List<ColumnType> types = slice.columnDefs().stream().map(Column::type).toList();
        List<String> targetColumns =
                slice.columnDefs().stream()
                        .map(col -> targetTable.column(col.name()).name())
                        .toList();
        Select sourceRows = slice.select();
        Select targetRows = Select.from(targetTable).columns(targetColumns);
        if ("postgres".equals(edge.source().dialect())
                && "postgres".equals(edge.target().dialect())) {
            // Same database kind on both sides: each database digests its own rows, in C, and
            // only two figures travel. A difference is confirmed the portable way below, since
            // equal values can print differently (numeric(12,2) against numeric(14,4)).
            CompletableFuture<WindowChecksum> s =
                    CompletableFuture.supplyAsync(() -> digest(source, sourceRows), validators);
            WindowChecksum t = digest(target, targetRows);
            WindowChecksum sd = s.get();
            if (sd.equals(t)) {
                return new Comparison("full (in-database digest)", sd, t);
            }
        }
        Validator v = new Validator(5_000);
        CompletableFuture<WindowChecksum> s =
                CompletableFuture.supplyAsync(
                        () -> checksum(v, source, sourceRows, types), validators);
        WindowChecksum t = checksum(v, target, targetRows, types);
        return new Comparison("full", s.get(), t);
    }

    /**
     * Row count and the sum (mod 2^64) of each row's 64-bit hash of its text form, computed by
     * PostgreSQL over the rows of {@code select}. The hash is PostgreSQL's own: two servers of
     * different major versions may disagree, which only sends the comparison down the portable
     * path.
     */
    private static WindowChecksum digest(Database db, Select select) {
        SqlQuery q = select.render(db.dialect());
        String sql =
                "SELECT count(*), coalesce(sum(hashtextextended(r::text, 0)), 0)::text FROM ("
                        + q.sql()
                        + ") r";
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            q.bind(ps, db.dialect());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new WindowChecksum(
                        rs.getLong(1), new BigInteger(rs.getString(2)).longValue());
            }
        } catch (SQLException e) {
            throw new java.io.UncheckedIOException(new java.io.IOException(e));
        }
    }

    private static WindowChecksum checksum(
            Validator v, Database db, Select select, List<ColumnType> types) {
        try {
            return v.checksum(db, select, types);
        } catch (SQLException e) {
            throw new java.io.UncheckedIOException(new java.io.IOException(e));
        }
    }

    /**
     * Which rows the soft-delete column marks deleted: {@code = true} for a boolean column, {@code
     * IS NOT NULL} for any other (such as {@code deleted_at}).
     */
    private Filter softDelete(EdgeDefinition edge, Database source) throws SQLException {
        String key = edge.source().url() + "|" + edge.sourceTable() + "|" + edge.softDelete();
        Filter known = softDeletes.get(key);
        if (known != null) {
            return known;
        }
        TableSchema table;
        try (Connection c = source.connect()) {
            table =
                    new SchemaIntrospector(source.dialect())
                            .require(c, TableName.parse(edge.sourceTable()));
        }
        Column col = table.column(edge.softDelete());
        Filter f =
                col.type().kind() == ColumnType.Kind.BOOLEAN
                        ? Filter.of(col.name(), "=", true)
                        : Filter.of(col.name(), "is not null", null);
        softDeletes.put(key, f);
        return f;
    }

    @Override
    public void close() {
        validators.shutdownNow();
        pools.close();
    }
}
