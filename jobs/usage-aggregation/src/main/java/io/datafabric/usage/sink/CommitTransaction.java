package io.datafabric.usage.sink;

import io.datafabric.usage.aggregate.LongLongMap;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.model.SplitProgress;
import io.datafabric.usage.parse.RejectReason;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Applies one {@link UsageCommittable} in ONE PostgreSQL transaction: increments of {@code
 * usage.totals} and {@code usage.by_period} (COPY into a temporary table, then one {@code INSERT
 * ... ON CONFLICT DO UPDATE}), rejects, split positions, file completion and the hash-chained
 * ledger row. A committable whose ledger row exists is skipped, so re-committing is harmless.
 */
public final class CommitTransaction {
    private static final String TEMP_TABLE =
            "CREATE TEMP TABLE IF NOT EXISTS usage_delta (consumer_id BIGINT NOT NULL,"
                    + " period_start BIGINT NOT NULL, amount BIGINT NOT NULL) ON COMMIT DELETE ROWS";

    // one period: the temporary table holds each consumer once, sorted (see copyDeltas), so no
    // aggregation and no sort are needed in PostgreSQL
    private static final String UPSERT_TOTALS_SINGLE =
            "WITH ins AS (INSERT INTO usage.totals AS t (consumer_id, total, updated_at)"
                    + " SELECT consumer_id, amount, now() FROM usage_delta"
                    + " ON CONFLICT (consumer_id) DO UPDATE"
                    + " SET total = t.total + excluded.total, updated_at = excluded.updated_at"
                    + " WHERE t.total <= 9223372036854775807 - excluded.total RETURNING 1)"
                    + " SELECT count(*) FROM ins";

    private static final String UPSERT_TOTALS_GROUPED =
            "WITH s AS (SELECT consumer_id, sum(amount) AS delta FROM usage_delta"
                    + " GROUP BY consumer_id HAVING sum(amount) <= 9223372036854775807),"
                    + " ins AS (INSERT INTO usage.totals AS t (consumer_id, total, updated_at)"
                    + " SELECT consumer_id, delta::bigint, now() FROM s ORDER BY consumer_id"
                    + " ON CONFLICT (consumer_id) DO UPDATE"
                    + " SET total = t.total + excluded.total, updated_at = excluded.updated_at"
                    + " WHERE t.total <= 9223372036854775807 - excluded.total RETURNING 1)"
                    + " SELECT count(*) FROM ins";

    // rows applied by this transaction carry now(): the ones that do not were refused (overflow)
    private static final String REFUSED =
            "SELECT d.consumer_id, sum(d.amount) FROM usage_delta d"
                    + " LEFT JOIN usage.totals t ON t.consumer_id = d.consumer_id"
                    + " WHERE t.updated_at IS DISTINCT FROM now() GROUP BY d.consumer_id";

    private static final String UPSERT_BY_PERIOD =
            "INSERT INTO usage.by_period AS b (consumer_id, period_start, amount)"
                    + " SELECT consumer_id, to_timestamp(period_start), amount FROM usage_delta"
                    + " ON CONFLICT (consumer_id, period_start) DO UPDATE"
                    + " SET amount = b.amount + excluded.amount";

    private static final String INSERT_REJECT =
            "INSERT INTO usage.rejects (file, line_no, reason, raw, split_index, line_in_split,"
                    + " byte_offset, commit_id) VALUES (?, NULL, ?, ?, ?, ?, ?, ?)";

    private static final String UPSERT_FILE =
            "INSERT INTO usage.files AS f (path, size, mtime, status, period_start, split_size,"
                    + " split_count, owner) VALUES (?, ?, to_timestamp(? / 1000.0), 'reading',"
                    + " to_timestamp(?), ?, ?, ?)"
                    + " ON CONFLICT (path) DO UPDATE SET owner = excluded.owner"
                    + " WHERE f.status <> 'completed'";

    private static final String UPSERT_SPLIT =
            "INSERT INTO usage.file_splits AS s (path, split_index, next_offset, physical_lines,"
                    + " lines, rejects, done) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (path, split_index) DO UPDATE SET"
                    + " next_offset = excluded.next_offset, physical_lines = excluded.physical_lines,"
                    + " lines = s.lines + excluded.lines, rejects = s.rejects + excluded.rejects,"
                    + " done = s.done OR excluded.done";

    private static final String COMPLETE_FILE =
            "UPDATE usage.files f SET lines = s.lines, rejects = s.rejects,"
                    + " status = CASE WHEN s.done_count >= f.split_count"
                    + " THEN 'completed' ELSE 'reading' END,"
                    + " completed_at = CASE WHEN s.done_count >= f.split_count THEN now() END"
                    + " FROM (SELECT coalesce(sum(lines), 0) AS lines,"
                    + " coalesce(sum(rejects), 0) AS rejects,"
                    + " count(*) FILTER (WHERE done) AS done_count"
                    + " FROM usage.file_splits WHERE path = ?) s"
                    + " WHERE f.path = ? AND f.status <> 'completed' RETURNING f.status";

    // line numbers of a file's rejects are known once every split's line count is
    private static final String NUMBER_REJECTS =
            "UPDATE usage.rejects r SET line_no = r.line_in_split + b.before"
                    + " FROM (SELECT split_index, coalesce(sum(physical_lines) OVER (ORDER BY"
                    + " split_index ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before"
                    + " FROM usage.file_splits WHERE path = ?) b"
                    + " WHERE r.file = ? AND r.split_index = b.split_index AND r.line_in_split > 0";

    /** What a commit did. */
    public record Outcome(
            boolean applied,
            long entries,
            BigInteger amount,
            long lines,
            long rejects,
            int filesCompleted) {
        static Outcome skipped() {
            return new Outcome(false, 0, BigInteger.ZERO, 0, 0, 0);
        }
    }

    private CommitTransaction() {}

    /** Applies the committable, or skips it when its ledger row exists; commits or rolls back. */
    public static Outcome apply(Connection c, UsageCommittable k) throws SQLException {
        c.setAutoCommit(false);
        try {
            Outcome outcome = applyInTransaction(c, k);
            if (outcome.applied()) {
                c.commit();
            } else {
                c.rollback();
            }
            return outcome;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Outcome applyInTransaction(Connection c, UsageCommittable k)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            // serialises committers (and keeps the hash chain linear) while readers may query
            st.execute("LOCK TABLE usage.commits IN SHARE ROW EXCLUSIVE MODE");
        }
        try (PreparedStatement st =
                c.prepareStatement("SELECT 1 FROM usage.commits WHERE commit_id = ?")) {
            st.setObject(1, k.commitId());
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return Outcome.skipped();
                }
            }
        }

        List<RejectRow> rejects = new ArrayList<>(k.rejects());
        long entries = 0;
        BigInteger amount = BigInteger.ZERO;
        if (k.entries() > 0) {
            try (Statement st = c.createStatement()) {
                st.execute(TEMP_TABLE);
            }
            copyDeltas(c, k);
            long distinct = distinctConsumers(k);
            amount = sum(k);
            try (Statement st = c.createStatement()) {
                // temporary tables are never analysed automatically; the planner needs the size
                st.execute("ANALYZE usage_delta");
            }
            String upsert = k.deltas().size() == 1 ? UPSERT_TOTALS_SINGLE : UPSERT_TOTALS_GROUPED;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(upsert)) {
                rs.next();
                entries = rs.getLong(1);
            }
            if (entries < distinct) {
                amount = amount.subtract(refuseOverflows(c, rejects));
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate(UPSERT_BY_PERIOD);
            }
        }

        insertRejects(c, k, rejects);
        long lines = 0;
        Set<String> paths = new LinkedHashSet<>();
        if (!k.progress().isEmpty()) {
            try (PreparedStatement files = c.prepareStatement(UPSERT_FILE);
                    PreparedStatement splits = c.prepareStatement(UPSERT_SPLIT)) {
                for (SplitProgress p : k.progress()) {
                    lines += p.lines();
                    if (paths.add(p.path())) {
                        files.setString(1, p.path());
                        files.setLong(2, p.fileSize());
                        files.setLong(3, p.mtimeMillis());
                        files.setLong(4, p.periodStart());
                        files.setLong(5, p.splitSize());
                        files.setInt(6, p.splitCount());
                        files.setString(7, p.owner());
                        files.addBatch();
                    }
                    splits.setString(1, p.path());
                    splits.setInt(2, p.splitIndex());
                    splits.setLong(3, p.nextOffset());
                    splits.setLong(4, p.physicalLines());
                    splits.setLong(5, p.lines());
                    splits.setLong(6, p.rejects());
                    splits.setBoolean(7, p.done());
                    splits.addBatch();
                }
                files.executeBatch();
                splits.executeBatch();
            }
        }
        int completed = 0;
        if (!paths.isEmpty()) {
            try (PreparedStatement complete = c.prepareStatement(COMPLETE_FILE);
                    PreparedStatement number = c.prepareStatement(NUMBER_REJECTS)) {
                for (String path : paths) {
                    complete.setString(1, path);
                    complete.setString(2, path);
                    boolean done = false;
                    try (ResultSet rs = complete.executeQuery()) {
                        if (rs.next() && "completed".equals(rs.getString(1))) {
                            done = true;
                        }
                    }
                    if (done) {
                        completed++;
                        number.setString(1, path);
                        number.setString(2, path);
                        number.executeUpdate();
                    }
                }
            }
        }
        appendLedger(c, k, entries, amount, lines, rejects.size(), completed);
        return new Outcome(true, entries, amount, lines, rejects.size(), completed);
    }

    private static void copyDeltas(Connection c, UsageCommittable k) throws SQLException {
        CopyIn copy =
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY usage_delta (consumer_id, period_start, amount) FROM STDIN");
        byte[] buf = new byte[1 << 16];
        int n = 0;
        try {
            for (UsageCommittable.PeriodDeltas d : k.deltas()) {
                // sorted by consumer: index pages are filled in order, not at random
                long[][] sorted = PairSort.byKey(d.consumers(), d.amounts());
                long[] consumers = sorted[0];
                long[] amounts = sorted[1];
                for (int i = 0; i < consumers.length; i++) {
                    if (n > buf.length - 64) {
                        copy.writeToCopy(buf, 0, n);
                        n = 0;
                    }
                    n = writeLong(buf, n, consumers[i]);
                    buf[n++] = '\t';
                    n = writeLong(buf, n, d.periodStart());
                    buf[n++] = '\t';
                    n = writeLong(buf, n, amounts[i]);
                    buf[n++] = '\n';
                }
            }
            if (n > 0) {
                copy.writeToCopy(buf, 0, n);
            }
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Writes the decimal digits of a value (which may be negative only for periods). */
    private static int writeLong(byte[] buf, int at, long value) {
        if (value == 0) {
            buf[at++] = '0';
            return at;
        }
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                byte[] min = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(min, 0, buf, at, min.length);
                return at + min.length;
            }
            buf[at++] = '-';
            value = -value;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int i = end - 1; i >= at; i--) {
            buf[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        return end;
    }

    private static long distinctConsumers(UsageCommittable k) {
        if (k.deltas().size() == 1) {
            return k.deltas().get(0).consumers().length;
        }
        LongLongMap seen = new LongLongMap((int) Math.min(1 << 24, k.entries()));
        for (UsageCommittable.PeriodDeltas d : k.deltas()) {
            for (long consumer : d.consumers()) {
                seen.add(consumer, 0);
            }
        }
        return seen.size();
    }

    private static BigInteger sum(UsageCommittable k) {
        BigInteger big = BigInteger.ZERO;
        long acc = 0;
        for (UsageCommittable.PeriodDeltas d : k.deltas()) {
            for (long a : d.amounts()) {
                long s = acc + a;
                if (s < acc) {
                    big = big.add(BigInteger.valueOf(acc));
                    acc = a;
                } else {
                    acc = s;
                }
            }
        }
        return big.add(BigInteger.valueOf(acc));
    }

    /**
     * Turns the increments refused because the total would overflow into rejects, and removes them
     * from the temporary table (so {@code by_period} does not get them either).
     *
     * @return the amount refused
     */
    private static BigInteger refuseOverflows(Connection c, List<RejectRow> rejects)
            throws SQLException {
        List<Long> refused = new ArrayList<>();
        BigInteger amount = BigInteger.ZERO;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(REFUSED)) {
            while (rs.next()) {
                long consumer = rs.getLong(1);
                BigInteger delta = rs.getBigDecimal(2).toBigIntegerExact();
                refused.add(consumer);
                amount = amount.add(delta);
                rejects.add(
                        RejectRow.ofText("", RejectReason.TOTAL_OVERFLOW, consumer + " " + delta));
            }
        }
        try (PreparedStatement st =
                c.prepareStatement("DELETE FROM usage_delta WHERE consumer_id = ANY(?)")) {
            st.setArray(1, c.createArrayOf("bigint", refused.toArray()));
            st.executeUpdate();
        }
        return amount;
    }

    private static void insertRejects(Connection c, UsageCommittable k, List<RejectRow> rejects)
            throws SQLException {
        if (rejects.isEmpty()) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement(INSERT_REJECT)) {
            int batch = 0;
            for (RejectRow r : rejects) {
                st.setString(1, r.file());
                st.setString(2, r.reason().code());
                st.setString(3, printable(r.raw()));
                setOptional(st, 4, r.splitIndex());
                setOptional(st, 5, r.lineInSplit());
                setOptional(st, 6, r.byteOffset());
                st.setObject(7, k.commitId());
                st.addBatch();
                if (++batch % 1000 == 0) {
                    st.executeBatch();
                }
            }
            st.executeBatch();
        }
    }

    private static void setOptional(PreparedStatement st, int index, long value)
            throws SQLException {
        if (value < 0) {
            st.setNull(index, Types.BIGINT);
        } else {
            st.setLong(index, value);
        }
    }

    /**
     * The raw bytes as text: invalid UTF-8 and NUL (which PostgreSQL text cannot hold) replaced.
     */
    static String printable(byte[] raw) {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(raw)).toString().replace('\u0000', '\uFFFD');
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    private static void appendLedger(
            Connection c,
            UsageCommittable k,
            long entries,
            BigInteger amount,
            long lines,
            long rejects,
            int completed)
            throws SQLException {
        String prev = LedgerHash.GENESIS;
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT hash FROM usage.commits ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                prev = rs.getString(1);
            }
        }
        String hash =
                LedgerHash.of(
                        prev, k.commitId().toString(), entries, amount, lines, rejects, completed);
        try (PreparedStatement st =
                c.prepareStatement(
                        "INSERT INTO usage.commits (commit_id, job_id, subtask, checkpoint_id,"
                                + " entries, amount, lines, rejects, files_completed, prev_hash,"
                                + " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setObject(1, k.commitId());
            st.setString(2, k.jobId());
            st.setInt(3, k.subtask());
            if (k.checkpointId() < 0 || k.checkpointId() == Long.MAX_VALUE) {
                st.setNull(4, Types.BIGINT);
            } else {
                st.setLong(4, k.checkpointId());
            }
            st.setLong(5, entries);
            st.setBigDecimal(6, new java.math.BigDecimal(amount));
            st.setLong(7, lines);
            st.setLong(8, rejects);
            st.setInt(9, completed);
            st.setString(10, prev);
            st.setString(11, hash);
            st.executeUpdate();
        }
    }
}
