package io.datafabric.drms.extract;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlQuery;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads rows changed since a position, by cursor columns (a monotonic timestamp or sequence with
 * the primary key as tie-break), in cursor order, a bounded chunk at a time.
 *
 * <p>Changed rows are read WITHOUT the slice filter: the database evaluates the filter as an output
 * flag ({@code CASE WHEN filter THEN 1 ELSE 0 END}), so a row that an update moved out of the slice
 * comes back as a delete, with exactly the SQL semantics the snapshot used. Rows matching the
 * soft-delete filter come back as deletes too.
 */
public final class IncrementalExtractor {
    static final String IN_SLICE = "drms_in_slice";
    static final String DELETED = "drms_deleted";

    private final SliceSource source;
    private final List<String> cursorColumns;
    private final List<String> readColumns;
    private final int fetchSize;

    /**
     * @param cursorColumns the dataset's cursor columns; primary key columns not among them are
     *     appended as tie-break, so the cursor tuple is unique
     */
    public IncrementalExtractor(SliceSource source, List<String> cursorColumns, int fetchSize) {
        this.source = source;
        this.cursorColumns = effectiveCursor(source, cursorColumns);
        Set<String> read = new LinkedHashSet<>(source.columns());
        read.addAll(this.cursorColumns);
        this.readColumns = List.copyOf(read);
        this.fetchSize = fetchSize;
    }

    /** Cursor columns (exact names) followed by the key columns they lack. */
    public static List<String> effectiveCursor(SliceSource source, List<String> cursorColumns) {
        if (cursorColumns == null || cursorColumns.isEmpty()) {
            throw new IllegalArgumentException(
                    "incremental reads of "
                            + source.table().table()
                            + " need cursor columns (e.g. [updated_at, id])");
        }
        Set<String> out = new LinkedHashSet<>();
        for (Column c : source.table().columns(cursorColumns)) {
            out.add(c.name());
        }
        out.addAll(source.key());
        return List.copyOf(out);
    }

    public List<String> cursorColumns() {
        return cursorColumns;
    }

    public List<Column> cursorColumnDefs() {
        return source.table().columns(cursorColumns);
    }

    /** The query for one chunk from {@code start}. */
    public SqlQuery chunkQuery(ReadStart start, int limit) {
        Select s = Select.from(source.table()).columns(readColumns).flag(IN_SLICE, source.filter());
        if (source.softDelete() != null) {
            s.flag(DELETED, source.softDelete());
        }
        notNull(s);
        if (start.after() != null) {
            s.after(cursorColumns, start.after());
        } else if (start.lowerBound() != null) {
            s.lowerBound(cursorColumns.get(0), start.lowerBound(), start.inclusive());
        }
        return s.orderBy(cursorColumns).limit(limit).render(source.database().dialect());
    }

    /** Reads up to {@code limit} changed rows from {@code start}. */
    public ChangeChunk read(ReadStart start, int limit) throws SQLException {
        List<Column> outCols = new ArrayList<>(source.table().columns(readColumns));
        outCols.add(new Column(IN_SLICE, io.datafabric.drms.sql.ColumnType.INTEGER, false));
        if (source.softDelete() != null) {
            outCols.add(new Column(DELETED, io.datafabric.drms.sql.ColumnType.INTEGER, false));
        }
        int width = source.columns().size();
        int inSliceIdx = readColumns.size();
        int[] cursorIdx = indexes(readColumns, cursorColumns);
        int[] keyIdx = indexes(readColumns, source.key());
        List<Change> changes = new ArrayList<>();
        List<List<Object>> cursors = new ArrayList<>();
        List<Object> last = null;
        List<Object[]> rows =
                Reads.list(
                        source.database(),
                        chunkQuery(start, limit),
                        outCols,
                        Math.min(fetchSize, limit));
        for (Object[] r : rows) {
            boolean inSlice = ((Integer) r[inSliceIdx]) == 1;
            boolean deleted = source.softDelete() != null && ((Integer) r[inSliceIdx + 1]) == 1;
            Object[] key = new Object[keyIdx.length];
            for (int i = 0; i < keyIdx.length; i++) {
                key[i] = r[keyIdx[i]];
            }
            Object[] row = new Object[width];
            System.arraycopy(r, 0, row, 0, width);
            changes.add(new Change(inSlice && !deleted, row, key));
            List<Object> cursor = new ArrayList<>(cursorIdx.length);
            for (int idx : cursorIdx) {
                cursor.add(r[idx]);
            }
            cursors.add(cursor);
            last = cursor;
        }
        return new ChangeChunk(changes, rows.size(), last, cursors);
    }

    /** Rows with a NULL cursor value have no place in cursor order; only snapshots see them. */
    private void notNull(Select s) {
        for (String c : cursorColumns) {
            if (source.table().column(c).nullable()) {
                s.where(new io.datafabric.drms.sql.Filter.IsNull(c, true));
            }
        }
    }

    static int[] indexes(List<String> in, List<String> names) {
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = in.indexOf(names.get(i));
            if (idx[i] < 0) {
                throw new IllegalStateException(names.get(i) + " not among " + in);
            }
        }
        return idx;
    }

    /**
     * The highest cursor tuple in the whole table (filter not applied), or null when it is empty:
     * where increments start after a snapshot that begins now.
     */
    public List<Object> highWater() throws SQLException {
        Select s = Select.from(source.table()).columns(cursorColumns);
        notNull(s);
        SqlQuery q =
                s.orderByDescending(cursorColumns).limit(1).render(source.database().dialect());
        List<Object[]> rows = Reads.list(source.database(), q, cursorColumnDefs(), 1);
        return rows.isEmpty() ? null : List.of(rows.get(0));
    }
}
