package io.datafabric.drms.extract;

import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlQuery;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a slice in primary key order, one bounded chunk at a time (keyset pagination: {@code WHERE
 * key > last ORDER BY key LIMIT n}). A snapshot resumes after a crash from the last key committed
 * with the target's cursor.
 */
public final class SnapshotExtractor {
    private final SliceSource source;
    private final int fetchSize;

    public SnapshotExtractor(SliceSource source, int fetchSize) {
        this.source = source;
        this.fetchSize = fetchSize;
    }

    /** The SELECT of the chunk after {@code afterKey} (null: the first chunk). */
    public Select chunkQuery(List<Object> afterKey, int limit) {
        Select s = source.select();
        if (afterKey != null) {
            s.after(source.key(), afterKey);
        }
        return s.orderBy(source.key()).limit(limit);
    }

    /** Up to {@code limit} rows after {@code afterKey}, in key order. */
    public List<Object[]> readChunk(List<Object> afterKey, int limit) throws SQLException {
        SqlQuery q = chunkQuery(afterKey, limit).render(source.database().dialect());
        return Reads.list(source.database(), q, source.columnDefs(), Math.min(fetchSize, limit));
    }

    /** The primary key of a row read by this extractor. */
    public List<Object> keyOf(Object[] row) {
        List<Object> key = new ArrayList<>();
        for (String k : source.key()) {
            key.add(row[source.columns().indexOf(k)]);
        }
        return key;
    }

    public SliceSource source() {
        return source;
    }
}
