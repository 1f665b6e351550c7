package io.datafabric.drms.task;

import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.Identifiers;
import io.datafabric.drms.sql.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything one load step of an edge needs: the source slice, the target, the mode and the tuning
 * knobs. Build with {@link #builder(String)}.
 *
 * @param edgeId the edge (consumer) id; key of its row in {@code drms_cursor}
 * @param source the source database
 * @param sourceTable the table the slice is cut from
 * @param columns the slice's columns (empty: all columns); must include the primary key
 * @param filter the slice's rows ({@link Filter#none()} for all)
 * @param softDelete rows to treat as deleted (e.g. {@code deleted = true}), or null
 * @param cursorColumns incremental cursor, e.g. {@code [updated_at, id]}; key columns are appended
 *     as tie-break when missing
 * @param keyColumns the source's key when it declares none (a view); empty: introspected
 * @param sourceKind read increments by cursor, or from the source's {@code <table>__inc}
 * @param target the target database
 * @param targetTable the target table (created from the slice's schema when missing)
 * @param mode snapshot (every run reloads the slice) or incremental
 * @param chunkSize rows per batch / per keyset page
 * @param copyChunkRows rows per committed chunk of a PostgreSQL-to-PostgreSQL COPY snapshot
 * @param fetchSize JDBC fetch size for streamed reads
 * @param lookback how far back in time an incremental read starts before the stored position, to
 *     pick up rows committed late with older timestamps
 * @param sequenceLookback the same for a numeric first cursor column, in units
 * @param stageIncrements keep {@code <targetTable>__inc}
 * @param incrementRetention prune staged batches older than this at the end of a run (null: never)
 * @param deleteDiff run the primary key diff after the incremental phase of this run (hard deletes
 *     at a source without soft-delete column); snapshot-mode passes always diff
 * @param validation what to compare at the end of the run
 * @param maxChunks stop after this many batches (the next run continues)
 * @param maxDuration stop starting new batches after this long (null: no limit)
 * @param deleteDiffInterval run the primary key diff after the incremental phase when the last
 *     completed one (recorded in the cursor, so it survives restarts) is at least this old; for
 *     sources read by cursor (null: only when {@code deleteDiff})
 * @param rulesFingerprint a digest of the rules that decide the target's content (source,
 *     projection, filter, target, mode); recorded in the cursor when a snapshot pass completes, so
 *     a caller that lost its own state can tell whether the target already holds this slice (null:
 *     not recorded)
 */
public record EdgeTask(
        String edgeId,
        Database source,
        TableName sourceTable,
        List<String> columns,
        Filter filter,
        Filter softDelete,
        List<String> cursorColumns,
        List<String> keyColumns,
        SourceKind sourceKind,
        Database target,
        TableName targetTable,
        Mode mode,
        int chunkSize,
        int copyChunkRows,
        int fetchSize,
        Duration lookback,
        long sequenceLookback,
        boolean stageIncrements,
        Duration incrementRetention,
        boolean deleteDiff,
        Validation validation,
        int maxChunks,
        Duration maxDuration,
        Duration deleteDiffInterval,
        String rulesFingerprint) {

    /** How an edge loads. */
    public enum Mode {
        /** Every run reloads the whole slice (upsert) and deletes what the slice lacks. */
        SNAPSHOT,
        /** One snapshot, then only changed rows (and deletes) on each run. */
        INCREMENTAL
    }

    /** Where increments are read from. */
    public enum SourceKind {
        /** The source table, by cursor columns. */
        CURSOR,
        /** The source's staging table {@code <table>__inc}, by batch id. */
        STAGING
    }

    /** The end-of-run comparison. */
    public enum Validation {
        NONE,
        /**
         * The rows whose keys this run wrote or deleted, looked up by key on both sides (up to
         * 20,000 keys; after a snapshot chunk or beyond that, the whole slice).
         */
        WINDOW,
        /** The whole slice against the whole target. */
        FULL
    }

    public EdgeTask {
        Identifiers.check(edgeId, "edge id");
        if (edgeId.length() > 255) {
            throw new IllegalArgumentException("edge id longer than 255 characters: " + edgeId);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceTable, "sourceTable");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetTable, "targetTable");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(sourceKind, "sourceKind");
        Objects.requireNonNull(validation, "validation");
        columns = List.copyOf(columns);
        cursorColumns = List.copyOf(cursorColumns);
        keyColumns = List.copyOf(keyColumns);
        filter = filter == null ? Filter.none() : filter;
        lookback = lookback == null ? Duration.ZERO : lookback;
        if (lookback.isNegative() || sequenceLookback < 0) {
            throw new IllegalArgumentException("look-back must not be negative");
        }
        if (chunkSize < 1 || copyChunkRows < 1 || fetchSize < 1 || maxChunks < 1) {
            throw new IllegalArgumentException(
                    "chunkSize, copyChunkRows, fetchSize and maxChunks must be positive");
        }
        if (mode == Mode.INCREMENTAL
                && sourceKind == SourceKind.CURSOR
                && cursorColumns.isEmpty()) {
            throw new IllegalArgumentException(
                    "edge "
                            + edgeId
                            + " is incremental but its dataset declares no cursor columns");
        }
        if (deleteDiffInterval != null && deleteDiffInterval.isNegative()) {
            throw new IllegalArgumentException("deleteDiffInterval must not be negative");
        }
        if (source.equals(target) && sourceTable.equals(targetTable)) {
            throw new IllegalArgumentException(
                    "edge " + edgeId + " reads and writes the same table");
        }
    }

    public static Builder builder(String edgeId) {
        return new Builder(edgeId);
    }

    /** Builder with defaults: incremental, chunks of 10,000 rows, staging on, no validation. */
    public static final class Builder {
        private final String edgeId;
        private Database source;
        private TableName sourceTable;
        private List<String> columns = List.of();
        private Filter filter = Filter.none();
        private Filter softDelete;
        private List<String> cursorColumns = List.of();
        private List<String> keyColumns = List.of();
        private SourceKind sourceKind = SourceKind.CURSOR;
        private Database target;
        private TableName targetTable;
        private Mode mode = Mode.INCREMENTAL;
        private int chunkSize = 10_000;
        private int copyChunkRows = 500_000;
        private int fetchSize = 5_000;
        private Duration lookback = Duration.ZERO;
        private long sequenceLookback;
        private boolean stageIncrements = true;
        private Duration incrementRetention = Duration.ofDays(7);
        private boolean deleteDiff;
        private Validation validation = Validation.NONE;
        private int maxChunks = Integer.MAX_VALUE;
        private Duration deleteDiffInterval;
        private String rulesFingerprint;
        private Duration maxDuration;

        private Builder(String edgeId) {
            this.edgeId = edgeId;
        }

        public Builder source(Database db, TableName table) {
            this.source = db;
            this.sourceTable = table;
            return this;
        }

        public Builder columns(List<String> v) {
            this.columns = v;
            return this;
        }

        public Builder filter(Filter v) {
            this.filter = v;
            return this;
        }

        public Builder softDelete(Filter v) {
            this.softDelete = v;
            return this;
        }

        public Builder cursorColumns(List<String> v) {
            this.cursorColumns = v;
            return this;
        }

        public Builder keyColumns(List<String> v) {
            this.keyColumns = v;
            return this;
        }

        public Builder sourceKind(SourceKind v) {
            this.sourceKind = v;
            return this;
        }

        public Builder target(Database db, TableName table) {
            this.target = db;
            this.targetTable = table;
            return this;
        }

        public Builder mode(Mode v) {
            this.mode = v;
            return this;
        }

        public Builder chunkSize(int v) {
            this.chunkSize = v;
            return this;
        }

        public Builder copyChunkRows(int v) {
            this.copyChunkRows = v;
            return this;
        }

        public Builder fetchSize(int v) {
            this.fetchSize = v;
            return this;
        }

        public Builder lookback(Duration v) {
            this.lookback = v;
            return this;
        }

        public Builder sequenceLookback(long v) {
            this.sequenceLookback = v;
            return this;
        }

        public Builder stageIncrements(boolean v) {
            this.stageIncrements = v;
            return this;
        }

        public Builder incrementRetention(Duration v) {
            this.incrementRetention = v;
            return this;
        }

        public Builder deleteDiff(boolean v) {
            this.deleteDiff = v;
            return this;
        }

        public Builder validation(Validation v) {
            this.validation = v;
            return this;
        }

        public Builder maxChunks(int v) {
            this.maxChunks = v;
            return this;
        }

        public Builder maxDuration(Duration v) {
            this.maxDuration = v;
            return this;
        }

        public Builder deleteDiffInterval(Duration v) {
            this.deleteDiffInterval = v;
            return this;
        }

        public Builder rulesFingerprint(String v) {
            this.rulesFingerprint = v;
            return this;
        }

        public EdgeTask build() {
            return new EdgeTask(
                    edgeId,
                    source,
                    sourceTable,
                    columns,
                    filter,
                    softDelete,
                    cursorColumns,
                    keyColumns,
                    sourceKind,
                    target,
                    targetTable,
                    mode,
                    chunkSize,
                    copyChunkRows,
                    fetchSize,
                    lookback,
                    sequenceLookback,
                    stageIncrements,
                    incrementRetention,
                    deleteDiff,
                    validation,
                    maxChunks,
                    maxDuration,
                    deleteDiffInterval,
                    rulesFingerprint);
        }
    }
}
