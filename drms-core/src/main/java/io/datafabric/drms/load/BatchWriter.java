package io.datafabric.drms.load;

import io.datafabric.drms.sql.PostgresDialect;
import io.datafabric.drms.sql.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes one batch into a target inside the caller's transaction (the caller commits it together
 * with the edge cursor). Rows are {@code Object[]} in {@link TargetTable#columnNames()} order, keys
 * in primary key order; within one call every key appears at most once.
 */
public interface BatchWriter {

    /**
     * Inserts new keys and overwrites existing ones; when {@code stage} is not null and the target
     * is staged, appends the rows to {@code <table>__inc} as {@code upsert} operations.
     */
    void upsert(Connection c, TargetTable target, List<Object[]> rows, Stage stage)
            throws SQLException;

    /**
     * Appends rows to a target that holds none of their keys (an initial load into a table that was
     * empty when it started); no conflict handling and no staging, so it can be faster.
     */
    void insertNew(Connection c, TargetTable target, List<Object[]> rows) throws SQLException;

    /**
     * Deletes those of {@code keys} that exist; stages the deleted keys as {@code delete}
     * operations when {@code stage} is not null. Returns the keys that were deleted (as read from
     * the target).
     */
    List<Object[]> delete(Connection c, TargetTable target, List<Object[]> keys, Stage stage)
            throws SQLException;

    /** The writer for a dialect: COPY for PostgreSQL, multi-row upserts for MariaDB/others. */
    static BatchWriter forDialect(SqlDialect dialect) {
        if (dialect instanceof PostgresDialect pg) {
            return new PostgresBatchWriter(pg);
        }
        return new JdbcBatchWriter(dialect);
    }
}
