package io.datafabric.usage.sink;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Checks the ledger: every row's hash must match its content and its predecessor, and the amounts
 * the ledger says were applied must add up to the sum of {@code usage.totals}.
 */
public final class LedgerAudit {
    private LedgerAudit() {}

    /**
     * The outcome.
     *
     * @param firstBrokenSeq the first row whose hash does not verify, or -1
     */
    public record Result(
            long rows, long firstBrokenSeq, BigInteger ledgerAmount, BigInteger totalsSum) {
        public boolean ok() {
            return firstBrokenSeq < 0 && ledgerAmount.equals(totalsSum);
        }
    }

    public static Result verify(Connection c) throws SQLException {
        long rows = 0;
        long broken = -1;
        BigInteger amount = BigInteger.ZERO;
        String prev = LedgerHash.GENESIS;
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT seq, commit_id, entries, amount, lines, rejects,"
                                        + " files_completed, prev_hash, hash"
                                        + " FROM usage.commits ORDER BY seq")) {
            while (rs.next()) {
                rows++;
                BigInteger rowAmount = rs.getBigDecimal(4).toBigIntegerExact();
                String expected =
                        LedgerHash.of(
                                prev,
                                rs.getString(2),
                                rs.getLong(3),
                                rowAmount,
                                rs.getLong(5),
                                rs.getLong(6),
                                rs.getInt(7));
                if (broken < 0
                        && (!prev.equals(rs.getString(8)) || !expected.equals(rs.getString(9)))) {
                    broken = rs.getLong(1);
                }
                amount = amount.add(rowAmount);
                prev = rs.getString(9);
            }
        }
        BigInteger totals;
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT coalesce(sum(total), 0) FROM usage.totals")) {
            rs.next();
            BigDecimal sum = rs.getBigDecimal(1);
            totals = sum.toBigIntegerExact();
        }
        return new Result(rows, broken, amount, totals);
    }
}
