package io.datafabric.drms.extract;

import io.datafabric.drms.load.IncrementStore;
import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads increments from a node's staging table {@code <table>__inc} by batch id: cheaper than
 * scanning the table by cursor, and deletes come along as operations. Order is {@code (batch_id,
 * key)}; a chunk keeps only the latest operation per key. Upserts are checked against the slice
 * filter by the database (as in {@link IncrementalExtractor}); those outside the slice become
 * deletes.
 */
public final class IncrementReader {
    private final SliceSource slice;
    private final TableSchema staging;
    private final List<String> cursorColumns;
    private final List<String> readColumns;
    private final int fetchSize;

    /**
     * @param slice the slice of the node's permanent table (table = permanent table schema)
     * @param staging the introspected {@code <table>__inc} schema
     */
    public IncrementReader(SliceSource slice, TableSchema staging, int fetchSize) {
        this.slice = slice;
        this.staging = staging;
        List<String> cursor = new ArrayList<>();
        cursor.add(staging.column(IncrementStore.BATCH_ID).name());
        for (String k : slice.key()) {
            cursor.add(staging.column(k).name());
        }
        this.cursorColumns = List.copyOf(cursor);
        List<String> read = new ArrayList<>();
        for (String c : slice.columns()) {
            read.add(staging.column(c).name());
        }
        read.add(staging.column(IncrementStore.OP).name());
        read.add(staging.column(IncrementStore.BATCH_ID).name());
        this.readColumns = List.copyOf(read);
        this.fetchSize = fetchSize;
    }

    /** {@code batch_id} followed by the key columns. */
    public List<String> cursorColumns() {
        return cursorColumns;
    }

    public List<Column> cursorColumnDefs() {
        return staging.columns(cursorColumns);
    }

    public SqlQuery chunkQuery(ReadStart start, int limit) {
        Select s =
                Select.from(staging)
                        .columns(readColumns)
                        .flag(IncrementalExtractor.IN_SLICE, slice.filter())
                        .where(
                                new Filter.In(
                                        IncrementStore.OP,
                                        List.of(IncrementStore.UPSERT, IncrementStore.DELETE),
                                        false));
        if (start.after() != null) {
            s.after(cursorColumns, start.after());
        } else if (start.lowerBound() != null) {
            s.lowerBound(cursorColumns.get(0), start.lowerBound(), start.inclusive());
        }
        return s.orderBy(cursorColumns).limit(limit).render(slice.database().dialect());
    }

    public ChangeChunk read(ReadStart start, int limit) throws SQLException {
        List<Column> outCols = new ArrayList<>(staging.columns(readColumns));
        outCols.add(new Column(IncrementalExtractor.IN_SLICE, ColumnType.INTEGER, false));
        int width = slice.columns().size();
        int opIdx = width;
        int inSliceIdx = width + 2;
        int[] keyIdx = new int[slice.key().size()];
        for (int i = 0; i < keyIdx.length; i++) {
            keyIdx[i] = slice.columns().indexOf(slice.key().get(i));
        }
        List<Object[]> rows =
                Reads.list(
                        slice.database(),
                        chunkQuery(start, limit),
                        outCols,
                        Math.min(fetchSize, limit));
        // Later operations on a key replace earlier ones within the chunk.
        Map<String, Change> latest = new LinkedHashMap<>();
        Map<String, List<Object>> cursorByKey = new LinkedHashMap<>();
        List<Object> last = null;
        for (Object[] r : rows) {
            Object[] key = new Object[keyIdx.length];
            List<Object> cursor = new ArrayList<>();
            cursor.add(r[width + 1]);
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < keyIdx.length; i++) {
                key[i] = r[keyIdx[i]];
                cursor.add(key[i]);
                id.append(io.datafabric.drms.sql.Values.canonical(key[i])).append('\u0000');
            }
            boolean upsert =
                    IncrementStore.UPSERT.equals(r[opIdx]) && ((Integer) r[inSliceIdx]) == 1;
            Object[] row = new Object[width];
            System.arraycopy(r, 0, row, 0, width);
            String k = id.toString();
            latest.remove(k);
            cursorByKey.remove(k);
            latest.put(k, new Change(upsert, upsert ? row : null, key));
            cursorByKey.put(k, cursor);
            last = cursor;
        }
        return new ChangeChunk(
                new ArrayList<>(latest.values()),
                rows.size(),
                last,
                new ArrayList<>(cursorByKey.values()));
    }

    /** The highest batch id present in the staging table, or empty. */
    public OptionalLong maxBatch() throws SQLException {
        try (Connection c = slice.database().connect()) {
            return new IncrementStore(slice.database().dialect()).maxBatch(c, staging.table());
        }
    }

    /** The newest batch removed by pruning, or empty. */
    public OptionalLong prunedThrough() throws SQLException {
        try (Connection c = slice.database().connect()) {
            return new IncrementStore(slice.database().dialect()).prunedThrough(c, staging.table());
        }
    }
}
