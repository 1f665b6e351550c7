package io.datafabric.drms.validate;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.SqlQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Computes {@link WindowChecksum}s by streaming rows (bounded memory) and hashing them in Java, so
 * that a PostgreSQL table and its MariaDB copy give the same figures.
 */
public final class Validator {
    private final int fetchSize;

    public Validator(int fetchSize) {
        this.fetchSize = fetchSize;
    }

    /**
     * The checksum of the rows {@code select} returns; values are canonicalised as {@code types}
     * (one per selected column, normally the source's types).
     */
    public WindowChecksum checksum(Database db, Select select, List<ColumnType> types)
            throws SQLException {
        SqlDialect d = db.dialect();
        SqlQuery q = select.render(d);
        List<Column> cols = select.outputColumns();
        RowHasher hasher = new RowHasher(types);
        long count = 0;
        long sum = 0;
        try (Connection c = db.connect()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                ps.setFetchSize(fetchSize);
                q.bind(ps, d);
                try (ResultSet rs = ps.executeQuery()) {
                    Object[] row = new Object[cols.size()];
                    while (rs.next()) {
                        for (int i = 0; i < row.length; i++) {
                            row[i] = d.read(rs, i + 1, cols.get(i).type());
                        }
                        sum += hasher.hash(row);
                        count++;
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(auto);
            }
        }
        return new WindowChecksum(count, sum);
    }

    /**
     * Checksums of the rows with the given keys on both sides: {@code sourceRows} / {@code
     * targetRows} supply fresh SELECTs (slice filter applied on the source) that are narrowed to
     * the keys in bounded groups; key columns are named by {@code sourceKey} / {@code targetKey}.
     */
    public Comparison compareKeys(
            String scope,
            Database source,
            Supplier<Select> sourceRows,
            List<String> sourceKey,
            Database target,
            Supplier<Select> targetRows,
            List<String> targetKey,
            List<List<Object>> keys)
            throws SQLException {
        List<ColumnType> types =
                sourceRows.get().outputColumns().stream().map(Column::type).toList();
        WindowChecksum s = WindowChecksum.EMPTY;
        WindowChecksum t = WindowChecksum.EMPTY;
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<List<Object>> part =
                    keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            s = s.plus(checksum(source, sourceRows.get().keyIn(sourceKey, part), types));
            t = t.plus(checksum(target, targetRows.get().keyIn(targetKey, part), types));
        }
        return new Comparison(scope, s, t);
    }

    private static final int KEYS_PER_QUERY = 500;

    /** Checksums of both sides of a window, canonicalised with the source's column types. */
    public Comparison compare(
            String scope, Database source, Select sourceRows, Database target, Select targetRows)
            throws SQLException {
        List<ColumnType> types = sourceRows.outputColumns().stream().map(Column::type).toList();
        if (targetRows.outputColumns().size() != types.size()) {
            throw new IllegalArgumentException("source and target select different column counts");
        }
        WindowChecksum s = checksum(source, sourceRows, types);
        WindowChecksum t = checksum(target, targetRows, types);
        return new Comparison(scope, s, t);
    }
}
