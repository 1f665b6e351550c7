package io.datafabric.drms.task;

import io.datafabric.drms.extract.Change;
import io.datafabric.drms.extract.ChangeChunk;
import io.datafabric.drms.extract.IncrementReader;
import io.datafabric.drms.extract.IncrementalExtractor;
import io.datafabric.drms.extract.ReadStart;
import io.datafabric.drms.load.EdgeCursor;
import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.Values;
import io.datafabric.drms.validate.RowHasher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incremental part of a run: reads changes past the edge's position (by cursor, with the
 * look-back window, or from the source's {@code <table>__inc}), turns rows that left the slice into
 * deletes, skips re-read rows the target already holds, and commits each chunk with the new
 * position.
 */
final class IncrementPass {
    private static final Logger LOG = LoggerFactory.getLogger(IncrementPass.class);

    private final EdgeRun run;

    IncrementPass(EdgeRun run) {
        this.run = run;
    }

    /** True when batches after this edge's position were pruned from the source's staging. */
    boolean missedIncrements() throws SQLException {
        EdgeCursor.Position p = run.cursor.position();
        OptionalLong pruned = run.incrementReader().prunedThrough();
        if (pruned.isEmpty()) {
            return false;
        }
        long consumed = p == null ? -1 : Long.parseLong(p.values().get(0));
        boolean midBatch = p != null && !p.isBoundary();
        return pruned.getAsLong() > consumed || (midBatch && pruned.getAsLong() == consumed);
    }

    /** Loads changes until caught up; true when it did. */
    boolean load() throws SQLException {
        boolean staged = run.sourceStaging != null;
        IncrementalExtractor cursorReader = staged ? null : run.cursorExtractor();
        IncrementReader stagingReader = staged ? run.incrementReader() : null;
        List<Column> cursorDefs =
                staged ? stagingReader.cursorColumnDefs() : cursorReader.cursorColumnDefs();
        List<String> cursorNames =
                staged ? stagingReader.cursorColumns() : cursorReader.cursorColumns();
        EdgeCursor.Position pos = run.cursor.position();
        List<Object> reached =
                pos == null || pos.isBoundary()
                        ? null
                        : EdgeCursor.decode(pos.values(), cursorDefs);
        ReadStart start = startOf(pos, cursorDefs, staged);
        while (true) {
            if (run.budgetSpent()) {
                run.caughtUp = false;
                return false;
            }
            ChangeChunk ch =
                    staged
                            ? stagingReader.read(start, run.task.chunkSize())
                            : cursorReader.read(start, run.task.chunkSize());
            if (ch.rowsRead() == 0) {
                if (staged && pos != null && !pos.isBoundary()) {
                    // Everything visible was read: the batch at the position is complete.
                    EdgeCursor.Position boundary =
                            new EdgeCursor.Position(cursorNames, List.of(pos.values().get(0)));
                    EdgeCursor next = run.cursor.withPosition(boundary);
                    run.commit(
                            (c, stage) -> new EdgeRun.Outcome(next, 0, 0, BatchInfo.Kind.CURSOR));
                }
                return true;
            }
            boolean exhausted = ch.exhausted(run.task.chunkSize());
            List<Object[]> upserts = new ArrayList<>();
            List<Object[]> deletes = new ArrayList<>();
            List<Object[]> reread = new ArrayList<>();
            List<Object[]> rereadDeletes = new ArrayList<>();
            for (int i = 0; i < ch.changes().size(); i++) {
                Change change = ch.changes().get(i);
                boolean again =
                        reached != null
                                && run.compareTuples(ch.cursorsOfRows().get(i), reached) <= 0;
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
                run.skipped += reread.size() - changed.size();
                upserts.addAll(changed);
            }
            if (!rereadDeletes.isEmpty()) {
                deletes.addAll(presentInTarget(rereadDeletes));
            }
            List<Object> newest =
                    reached == null || run.compareTuples(ch.last(), reached) > 0
                            ? ch.last()
                            : reached;
            EdgeCursor.Position newPos =
                    staged && exhausted
                            ? new EdgeCursor.Position(
                                    cursorNames, List.of(Values.canonical(newest.get(0))))
                            : new EdgeCursor.Position(cursorNames, EdgeCursor.encode(newest));
            EdgeCursor next = run.cursor.withPosition(newPos);
            List<Object[]> gone = new ArrayList<>();
            boolean noop = upserts.isEmpty() && deletes.isEmpty() && newPos.equals(pos);
            if (!noop) {
                run.commit(
                        (c, stage) -> {
                            gone.addAll(run.writer.delete(c, run.target, deletes, stage));
                            run.writer.upsert(c, run.target, upserts, stage);
                            return new EdgeRun.Outcome(
                                    next, upserts.size(), gone.size(), BatchInfo.Kind.INCREMENT);
                        });
            }
            for (Object[] k : gone) {
                run.touch(k);
            }
            for (Object[] r : upserts) {
                run.touch(run.target.keyOf(r));
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
            return ReadStart.from(Values.coerce(pos.values().get(0), defs.get(0).type()), false);
        }
        List<Object> values = EdgeCursor.decode(pos.values(), defs);
        boolean lookback =
                !staged && (!run.task.lookback().isZero() || run.task.sequenceLookback() > 0);
        if (lookback) {
            return ReadStart.from(
                    Values.minus(values.get(0), run.task.lookback(), run.task.sequenceLookback()),
                    true);
        }
        return ReadStart.after(values);
    }

    /** Of re-read rows, those that differ from (or are missing in) the target. */
    private List<Object[]> changedInTarget(List<Object[]> rows) throws SQLException {
        List<ColumnType> types = run.slice.columnDefs().stream().map(Column::type).toList();
        RowHasher canon = new RowHasher(types);
        int[] keyIdx = run.target.keyIndexes();
        List<Column> keyDefs = run.slice.table().primaryKeyColumns();
        Map<String, String> inTarget = new HashMap<>();
        List<Column> targetCols = run.target.columns();
        for (int from = 0; from < rows.size(); from += 500) {
            List<List<Object>> keys = new ArrayList<>();
            for (Object[] r : rows.subList(from, Math.min(rows.size(), from + 500))) {
                keys.add(Arrays.asList(run.target.keyOf(r)));
            }
            SqlQuery q =
                    Select.from(run.target.table())
                            .keyIn(run.target.table().primaryKey(), keys)
                            .render(run.task.target().dialect());
            SqlDialect d = run.task.target().dialect();
            try (Connection c = run.task.target().connect();
                    PreparedStatement ps = c.prepareStatement(q.sql())) {
                q.bind(ps, d);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] t = new Object[targetCols.size()];
                        for (int i = 0; i < t.length; i++) {
                            t[i] = d.read(rs, i + 1, targetCols.get(i).type());
                        }
                        inTarget.put(run.keyIdentity(t, keyIdx, keyDefs), canon.canonicalText(t));
                    }
                }
            }
        }
        List<Object[]> changed = new ArrayList<>();
        for (Object[] r : rows) {
            String now = inTarget.get(run.keyIdentity(r, keyIdx, keyDefs));
            if (now == null || !now.equals(canon.canonicalText(r))) {
                changed.add(r);
            }
        }
        return changed;
    }

    /** Of keys (target key order), those present in the target. */
    private List<Object[]> presentInTarget(List<Object[]> keys) throws SQLException {
        List<Column> keyDefs = run.slice.table().primaryKeyColumns();
        int[] idx = new int[keyDefs.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        List<String> key = run.target.table().primaryKey();
        List<Column> targetKeyDefs = run.target.table().primaryKeyColumns();
        SqlDialect d = run.task.target().dialect();
        for (int from = 0; from < keys.size(); from += 500) {
            List<List<Object>> part = new ArrayList<>();
            for (Object[] k : keys.subList(from, Math.min(keys.size(), from + 500))) {
                part.add(Arrays.asList(k));
            }
            SqlQuery q = Select.from(run.target.table()).columns(key).keyIn(key, part).render(d);
            try (Connection c = run.task.target().connect();
                    PreparedStatement ps = c.prepareStatement(q.sql())) {
                q.bind(ps, d);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] k = new Object[key.size()];
                        for (int i = 0; i < k.length; i++) {
                            k[i] = d.read(rs, i + 1, targetKeyDefs.get(i).type());
                        }
                        present.add(run.keyIdentity(k, idx, keyDefs));
                    }
                }
            }
        }
        List<Object[]> out = new ArrayList<>();
        for (Object[] k : keys) {
            if (present.contains(run.keyIdentity(k, idx, keyDefs))) {
                out.add(k);
            }
        }
        return out;
    }
}
