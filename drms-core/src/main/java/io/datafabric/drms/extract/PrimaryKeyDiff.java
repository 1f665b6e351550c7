package io.datafabric.drms.extract;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableSchema;
import io.datafabric.drms.sql.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds keys present in a target but absent from its source slice (rows deleted at the source, or
 * moved out of the slice), walking the target in primary key order one chunk at a time; memory is
 * bounded by the chunk size.
 *
 * <p>When every key column has a type that all databases order alike (numbers, dates, timestamps),
 * both sides are walked in key order and merged ({@link Strategy#MERGE}). Text keys sort by
 * collation, which differs between databases, so for them each target chunk is looked up in the
 * source by key instead ({@link Strategy#PROBE}).
 */
public final class PrimaryKeyDiff {
    /** How the source side is read. */
    public enum Strategy {
        MERGE,
        PROBE
    }

    private final SliceSource source;
    private final Database target;
    private final TableSchema targetTable;
    private final int chunkSize;
    private final Strategy strategy;
    private final List<Column> sourceKey;
    private final List<Column> targetKey;

    // Walk state.
    private List<Object> targetAfter;
    private boolean targetDone;
    private List<Object[]> sourceBuffer = new ArrayList<>();
    private int sourcePos;
    private List<Object> sourceAfter;
    private boolean sourceDone;
    private long targetKeysSeen;

    /**
     * @param targetTable the target (its primary key names the same columns as the source's)
     */
    public PrimaryKeyDiff(
            SliceSource source, Database target, TableSchema targetTable, int chunkSize) {
        this.source = source;
        this.target = target;
        this.targetTable = targetTable;
        this.chunkSize = chunkSize;
        this.sourceKey = source.table().primaryKeyColumns();
        this.targetKey = targetTable.primaryKeyColumns();
        if (sourceKey.size() != targetKey.size()) {
            throw new IllegalArgumentException(
                    "primary keys differ: source "
                            + source.table().table()
                            + " "
                            + source.key()
                            + ", target "
                            + targetTable.table()
                            + " "
                            + targetTable.primaryKey());
        }
        boolean portable = true;
        for (int i = 0; i < sourceKey.size(); i++) {
            portable &=
                    sourceKey.get(i).type().hasPortableOrder()
                            && targetKey.get(i).type().hasPortableOrder();
        }
        this.strategy = portable ? Strategy.MERGE : Strategy.PROBE;
    }

    public Strategy strategy() {
        return strategy;
    }

    /** Target keys examined so far. */
    public long targetKeysSeen() {
        return targetKeysSeen;
    }

    /**
     * The next chunk of keys (in key order, values as read from the target) that the target has and
     * the source slice lacks; empty once the whole target was walked.
     */
    public List<Object[]> next() throws SQLException {
        List<Object[]> missing = new ArrayList<>();
        while (missing.isEmpty() && !targetDone) {
            List<Object[]> keys = nextTargetChunk();
            if (keys.isEmpty()) {
                break;
            }
            if (strategy == Strategy.MERGE) {
                merge(keys, missing);
            } else {
                probe(keys, missing);
            }
        }
        return missing;
    }

    private List<Object[]> nextTargetChunk() throws SQLException {
        Select s = Select.from(targetTable).columns(targetTable.primaryKey());
        if (targetAfter != null) {
            s.after(targetTable.primaryKey(), targetAfter);
        }
        SqlQuery q = s.orderBy(targetTable.primaryKey()).limit(chunkSize).render(target.dialect());
        List<Object[]> keys = Reads.list(target, q, targetKey, chunkSize);
        if (keys.size() < chunkSize) {
            targetDone = true;
        }
        if (!keys.isEmpty()) {
            targetAfter = Arrays.asList(keys.get(keys.size() - 1));
        }
        targetKeysSeen += keys.size();
        return keys;
    }

    private void merge(List<Object[]> targetKeys, List<Object[]> missing) throws SQLException {
        for (Object[] t : targetKeys) {
            while (true) {
                Object[] s = peekSource();
                if (s == null) {
                    missing.add(t);
                    break;
                }
                int cmp = compareKeys(s, t);
                if (cmp < 0) {
                    sourcePos++;
                } else if (cmp == 0) {
                    sourcePos++;
                    break;
                } else {
                    missing.add(t);
                    break;
                }
            }
        }
    }

    private Object[] peekSource() throws SQLException {
        if (sourcePos < sourceBuffer.size()) {
            return sourceBuffer.get(sourcePos);
        }
        if (sourceDone) {
            return null;
        }
        Select s = source.select().columns(source.key());
        if (sourceAfter != null) {
            s.after(source.key(), sourceAfter);
        }
        SqlQuery q = s.orderBy(source.key()).limit(chunkSize).render(source.database().dialect());
        sourceBuffer = Reads.list(source.database(), q, sourceKey, chunkSize);
        sourcePos = 0;
        if (sourceBuffer.size() < chunkSize) {
            sourceDone = true;
        }
        if (sourceBuffer.isEmpty()) {
            return null;
        }
        sourceAfter = Arrays.asList(sourceBuffer.get(sourceBuffer.size() - 1));
        return sourceBuffer.get(0);
    }

    private static int compareKeys(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Values.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private void probe(List<Object[]> targetKeys, List<Object[]> missing) throws SQLException {
        List<List<Object>> lookup = new ArrayList<>(targetKeys.size());
        for (Object[] t : targetKeys) {
            List<Object> k = new ArrayList<>(t.length);
            for (int i = 0; i < t.length; i++) {
                k.add(Values.coerce(t[i], sourceKey.get(i).type()));
            }
            lookup.add(k);
        }
        Set<String> found = new HashSet<>();
        int step = 500;
        for (int from = 0; from < lookup.size(); from += step) {
            List<List<Object>> part = lookup.subList(from, Math.min(lookup.size(), from + step));
            SqlQuery q =
                    source.select()
                            .columns(source.key())
                            .keyIn(source.key(), part)
                            .render(source.database().dialect());
            for (Object[] s : Reads.list(source.database(), q, sourceKey, step)) {
                found.add(identity(Arrays.asList(s)));
            }
        }
        for (int i = 0; i < targetKeys.size(); i++) {
            if (!found.contains(identity(lookup.get(i)))) {
                missing.add(targetKeys.get(i));
            }
        }
    }

    private String identity(List<Object> key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            ColumnType t = sourceKey.get(i).type();
            sb.append(Values.canonical(Values.coerce(key.get(i), t), t)).append('\u0000');
        }
        return sb.toString();
    }
}
