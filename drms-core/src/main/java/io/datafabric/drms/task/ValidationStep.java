package io.datafabric.drms.task;

import io.datafabric.drms.extract.SliceSource;
import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.load.IncrementStore;
import io.datafabric.drms.load.TargetTable;
import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableSchema;
import io.datafabric.drms.sql.Values;
import io.datafabric.drms.validate.Comparison;
import io.datafabric.drms.validate.RowHasher;
import io.datafabric.drms.validate.Validator;
import io.datafabric.drms.validate.WindowChecksum;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end-of-run comparison of an edge's source slice and target, bounded by the edge's cursor so
 * that a source under live writes does not fail it.
 *
 * <p>A row the source changed again after the run read it (its cursor is now past the edge's
 * position, or for a staged source its key has a newer batch in {@code <table>__inc}) or deleted
 * since is no longer comparable: the next run loads that change. So when the comparison differs,
 * the rows that <em>moved on</em> are looked up — after the comparison, so a row changed while it
 * was read is caught — and the comparison is repeated without them, at most {@link #ROUNDS} times.
 * What is left must match: a difference among rows the source did not touch since is a real one and
 * fails the run.
 */
final class ValidationStep {
    /** Comparisons after the first, each without the rows that moved on meanwhile. */
    static final int ROUNDS = 3;

    /** Whole-slice comparisons exclude at most this many moved-on keys (single-column keys). */
    static final int FULL_EXCLUSION_LIMIT = 10_000;

    private static final int KEYS_PER_QUERY = 500;

    private final EdgeTask task;
    private final SliceSource slice;
    private final TargetTable target;
    private final TableSchema sourceStaging;
    private final List<String> cursorColumns;
    private final EdgeCursor.Position position;

    /**
     * @param sourceStaging the source's {@code <table>__inc} when increments are read from it, else
     *     null
     * @param cursorColumns the columns the edge's position is over (cursor sources)
     * @param position the edge's position after the run, or null (nothing bounds the comparison)
     */
    ValidationStep(
            EdgeTask task,
            SliceSource slice,
            TargetTable target,
            TableSchema sourceStaging,
            List<String> cursorColumns,
            EdgeCursor.Position position) {
        this.task = task;
        this.slice = slice;
        this.target = target;
        this.sourceStaging = sourceStaging;
        this.cursorColumns = cursorColumns;
        this.position = position;
    }

    /** The rows with these keys (target values, key order) on both sides. */
    Comparison compareKeys(List<List<Object>> touched) throws SQLException {
        if (position != null && sourceStaging == null) {
            return compareKeysByCursor(touched);
        }
        Validator v = new Validator(task.fetchSize());
        List<List<Object>> keys = new ArrayList<>(touched);
        Comparison c =
                compareKeys(v, keys, "rows with the " + keys.size() + " keys this run changed");
        int excluded = 0;
        for (int round = 0; round < ROUNDS && !c.matches(); round++) {
            Set<String> moved = movedOn(keys);
            if (moved.isEmpty()) {
                break;
            }
            keys.removeIf(k -> moved.contains(identity(k)));
            excluded += moved.size();
            c =
                    compareKeys(
                            v,
                            keys,
                            "rows with the "
                                    + keys.size()
                                    + " keys this run changed that the source has not changed"
                                    + " since ("
                                    + excluded
                                    + " changed again)");
        }
        return c;
    }

    private static final String IN_SLICE = "drms_v_in_slice";
    private static final String DELETED = "drms_v_deleted";

    /**
     * Compares key by key, reading each source row together with its cursor in one statement, so a
     * row's value and whether it moved on come from the same snapshot. A key whose two sides differ
     * is left out, not failed, when the source row is past the edge's position (changed again since
     * the run read it), gone from the table (hard-deleted since; the primary-key diff removes it),
     * or inside the look-back window before the position (committed late; the next run reads that
     * window again). Every other difference counts.
     */
    private Comparison compareKeysByCursor(List<List<Object>> keys) throws SQLException {
        TableSchema table = slice.table();
        List<String> key = slice.key();
        List<String> read = new ArrayList<>(slice.columns());
        for (String c : cursorColumns) {
            if (!read.contains(c)) {
                read.add(c);
            }
        }
        List<Column> cursorDefs = table.columns(cursorColumns);
        List<Object> bound = EdgeCursor.decode(position.values(), cursorDefs);
        Object lateFrom =
                position.isBoundary() || (task.lookback().isZero() && task.sequenceLookback() == 0)
                        ? null
                        : Values.minus(bound.get(0), task.lookback(), task.sequenceLookback());
        List<ColumnType> types = slice.columnDefs().stream().map(Column::type).toList();
        RowHasher hasher = new RowHasher(types);
        int width = slice.columns().size();
        int[] keyInRead = indexes(read, key);
        int[] cursorInRead = indexes(read, cursorColumns);
        List<String> targetColumns = target.columnNames();
        int[] keyInTarget = indexes(targetColumns, target.table().primaryKey());

        WindowChecksum s = WindowChecksum.EMPTY;
        WindowChecksum t = WindowChecksum.EMPTY;
        int excused = 0;
        SqlDialect sd = task.source().dialect();
        SqlDialect td = task.target().dialect();
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<List<Object>> part =
                    keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            Select src =
                    Select.from(table)
                            .columns(read)
                            .flag(IN_SLICE, slice.filter())
                            .keyIn(key, part);
            if (slice.softDelete() != null) {
                src.flag(DELETED, slice.softDelete());
            }
            Map<String, Long> sourceHash = new HashMap<>();
            Set<String> excusable = new HashSet<>();
            Set<String> present = new HashSet<>();
            for (Object[] row : query(task.source(), src.render(sd), src.outputColumns())) {
                String id = identity(pick(row, keyInRead), key.size());
                present.add(id);
                Object[] values = java.util.Arrays.copyOf(row, width);
                boolean inSlice =
                        ((Number) row[read.size()]).intValue() == 1
                                && (slice.softDelete() == null
                                        || ((Number) row[read.size() + 1]).intValue() == 0);
                if (inSlice) {
                    sourceHash.put(id, hasher.hash(values));
                }
                List<Object> cur = java.util.Arrays.asList(pick(row, cursorInRead));
                if (beyond(cur, bound) || (lateFrom != null && atOrAfter(cur.get(0), lateFrom))) {
                    excusable.add(id);
                }
            }
            Select tgt =
                    Select.from(target.table())
                            .columns(targetColumns)
                            .keyIn(target.table().primaryKey(), part);
            Map<String, Long> targetHash = new HashMap<>();
            for (Object[] row : query(task.target(), tgt.render(td), tgt.outputColumns())) {
                targetHash.put(identity(pick(row, keyInTarget), key.size()), hasher.hash(row));
            }
            for (List<Object> k : part) {
                String id = identity(k);
                Long a = sourceHash.get(id);
                Long b = targetHash.get(id);
                boolean same = a == null ? b == null : a.equals(b);
                if (!same && (!present.contains(id) || excusable.contains(id))) {
                    excused++;
                    continue;
                }
                if (a != null) {
                    s = s.plus(a);
                }
                if (b != null) {
                    t = t.plus(b);
                }
            }
        }
        String scope = "rows with the " + keys.size() + " keys this run changed";
        if (excused > 0) {
            scope +=
                    ", without "
                            + excused
                            + " the source changed again, deleted or committed late since";
        }
        return new Comparison(scope, s, t);
    }

    private static int[] indexes(List<String> in, List<String> names) {
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.indexOf(names.get(i));
        }
        return out;
    }

    private static Object[] pick(Object[] row, int[] idx) {
        Object[] out = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = row[idx[i]];
        }
        return out;
    }

    private static boolean atOrAfter(Object value, Object from) {
        return value != null && Values.compare(value, from) >= 0;
    }

    private Comparison compareKeys(Validator v, List<List<Object>> keys, String scope)
            throws SQLException {
        return v.compareKeys(
                scope,
                task.source(),
                slice::select,
                slice.key(),
                task.target(),
                () -> Select.from(target.table()).columns(target.columnNames()),
                target.table().primaryKey(),
                keys);
    }

    /** The whole slice against the whole target. */
    Comparison compareAll() throws SQLException {
        Validator v = new Validator(task.fetchSize());
        Comparison c = compareAll(v, List.of(), "full");
        List<String> key = slice.key();
        if (c.matches() || key.size() != 1) {
            return c;
        }
        Set<Object> moved = new LinkedHashSet<>();
        for (int round = 0; round < ROUNDS && !c.matches(); round++) {
            List<Object> more = keysBeyondPosition(FULL_EXCLUSION_LIMIT + 1);
            if (more.size() > FULL_EXCLUSION_LIMIT || !moved.addAll(more)) {
                break;
            }
            c =
                    compareAll(
                            v,
                            new ArrayList<>(moved),
                            "full, without the "
                                    + moved.size()
                                    + " rows the source changed again since");
        }
        return c;
    }

    private Comparison compareAll(Validator v, List<Object> without, String scope)
            throws SQLException {
        Select source = slice.select();
        Select targetRows = Select.from(target.table()).columns(target.columnNames());
        if (!without.isEmpty()) {
            source.where(new Filter.In(slice.key().get(0), without, true));
            targetRows.where(new Filter.In(target.table().primaryKey().get(0), without, true));
        }
        return v.compare(scope, task.source(), source, task.target(), targetRows);
    }

    /**
     * Of {@code keys}, the identities of those whose source row changed after the edge's position
     * or is gone from the source table.
     */
    Set<String> movedOn(List<List<Object>> keys) throws SQLException {
        Set<String> moved = new HashSet<>();
        if (position == null) {
            return moved;
        }
        SqlDialect d = task.source().dialect();
        List<String> key = slice.key();
        TableSchema table = slice.table();
        boolean staged = sourceStaging != null;
        List<String> read = new ArrayList<>(key);
        if (!staged) {
            for (String c : cursorColumns) {
                if (!read.contains(c)) {
                    read.add(c);
                }
            }
        }
        List<Column> readDefs = table.columns(read);
        List<Column> cursorDefs = staged ? List.of() : table.columns(cursorColumns);
        List<Object> bound = staged ? null : EdgeCursor.decode(position.values(), cursorDefs);
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<List<Object>> part =
                    keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            Set<String> present = new HashSet<>();
            SqlQuery q = Select.from(table).columns(read).keyIn(key, part).render(d);
            for (Object[] row : query(q, readDefs)) {
                String id = identity(row, key.size());
                present.add(id);
                if (!staged) {
                    List<Object> cur = new ArrayList<>(cursorColumns.size());
                    for (String c : cursorColumns) {
                        cur.add(row[read.indexOf(c)]);
                    }
                    if (beyond(cur, bound)) {
                        moved.add(id);
                    }
                }
            }
            for (List<Object> k : part) {
                String id = identity(k);
                if (!present.contains(id)) {
                    moved.add(id);
                }
            }
            if (staged) {
                SqlQuery s =
                        Select.from(sourceStaging)
                                .columns(key)
                                .keyIn(key, part)
                                .where(newerBatches())
                                .render(d);
                for (Object[] row : query(s, sourceStaging.columns(key))) {
                    moved.add(identity(row, key.size()));
                }
            }
        }
        return moved;
    }

    /** Up to {@code limit} single-column keys of source rows past the edge's position. */
    private List<Object> keysBeyondPosition(int limit) throws SQLException {
        if (position == null) {
            return List.of();
        }
        List<String> key = slice.key();
        SqlDialect d = task.source().dialect();
        Select s;
        List<Column> defs;
        if (sourceStaging != null) {
            s = Select.from(sourceStaging).columns(key).where(newerBatches());
            defs = sourceStaging.columns(key);
        } else {
            List<Column> cursorDefs = slice.table().columns(cursorColumns);
            List<Object> bound = EdgeCursor.decode(position.values(), cursorDefs);
            s = Select.from(slice.table()).columns(key);
            if (position.isBoundary()) {
                s.lowerBound(cursorColumns.get(0), bound.get(0), false);
            } else {
                s.after(cursorColumns, bound);
            }
            defs = slice.table().columns(key);
        }
        List<Object> out = new ArrayList<>();
        for (Object[] row : query(s.limit(limit).render(d), defs)) {
            out.add(row[0]);
        }
        return out;
    }

    private Filter newerBatches() {
        return Filter.of(IncrementStore.BATCH_ID, ">", Long.parseLong(position.values().get(0)));
    }

    private boolean beyond(List<Object> cursor, List<Object> bound) {
        for (int i = 0; i < bound.size(); i++) {
            if (cursor.get(i) == null) {
                return false;
            }
            int c = Values.compare(cursor.get(i), bound.get(i));
            if (c != 0) {
                return c > 0;
            }
        }
        return false;
    }

    private List<Object[]> query(SqlQuery q, List<Column> defs) throws SQLException {
        return query(task.source(), q, defs);
    }

    private static List<Object[]> query(Database db, SqlQuery q, List<Column> defs)
            throws SQLException {
        SqlDialect d = db.dialect();
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(q.sql())) {
            q.bind(ps, d);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[defs.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = d.read(rs, i + 1, defs.get(i).type());
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private String identity(List<Object> key) {
        return identity(key.toArray(), key.size());
    }

    /** The canonical text of the first {@code n} values (the key), as the run keys rows. */
    private String identity(Object[] row, int n) {
        List<Column> defs = slice.table().primaryKeyColumns();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ColumnType t = defs.get(i).type();
            sb.append(Values.canonical(Values.coerce(row[i], t), t)).append('\u0000');
        }
        return sb.toString();
    }
}
