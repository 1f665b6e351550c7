package io.datafabric.drms.load;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.SchemaIntrospector;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.TableDdl;
import io.datafabric.drms.sql.TableName;
import io.datafabric.drms.sql.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The staging area {@code <table>__inc} next to a target table: every loaded batch's rows with
 * {@code batch_id}, {@code op} ({@code upsert} / {@code delete}) and {@code loaded_at}, written in
 * the batch's transaction. Pruning removes batches older than a retention and leaves one {@code
 * pruned} marker row whose {@code batch_id} is the newest batch removed, so that a reader that fell
 * behind can tell it missed increments.
 */
public final class IncrementStore {
    public static final String SUFFIX = "__inc";
    public static final String BATCH_ID = "batch_id";
    public static final String OP = "op";
    public static final String LOADED_AT = "loaded_at";
    public static final String UPSERT = "upsert";
    public static final String DELETE = "delete";
    public static final String PRUNED = "pruned";

    private final SqlDialect dialect;

    public IncrementStore(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public static TableName stagingName(TableName table) {
        return table.withSuffix(SUFFIX);
    }

    /** The staging table's columns for a target: the three bookkeeping columns, then the row. */
    public static List<Column> columnsFor(TableSchema target) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column(BATCH_ID, ColumnType.BIGINT, false));
        cols.add(new Column(OP, ColumnType.varchar(8), false));
        cols.add(new Column(LOADED_AT, ColumnType.TIMESTAMPTZ, false));
        for (Column c : target.columns()) {
            String lower = c.name().toLowerCase(Locale.ROOT);
            if (lower.equals(BATCH_ID) || lower.equals(OP) || lower.equals(LOADED_AT)) {
                throw new IllegalArgumentException(
                        "column "
                                + c.name()
                                + " of "
                                + target.table()
                                + " clashes with a bookkeeping column of its "
                                + SUFFIX
                                + " staging table; turn staging off for this edge or rename it");
            }
            // Delete operations carry only the key, pruning markers nothing: all nullable.
            cols.add(new Column(c.name(), c.type(), true));
        }
        return cols;
    }

    /** Creates {@code <table>__inc} (and its batch index) when missing; returns its schema. */
    public TableSchema ensure(Connection c, TableSchema target) throws SQLException {
        TableName name = stagingName(target.table());
        TableDdl ddl = new TableDdl(dialect);
        List<String> indexCols = new ArrayList<>();
        indexCols.add(BATCH_ID);
        indexCols.addAll(target.primaryKey());
        SchemaIntrospector introspector = new SchemaIntrospector(dialect);
        java.util.Optional<TableSchema> existing = introspector.find(c, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try (Statement st = c.createStatement()) {
            st.execute(ddl.createTable(name, columnsFor(target), List.of()));
            st.execute(ddl.createIndex(indexName(name), name, indexCols));
        }
        return introspector.require(c, name);
    }

    /** A short, stable index name (index names share the schema's namespace in PostgreSQL). */
    static String indexName(TableName staging) {
        return "drms_inc_" + Integer.toHexString(staging.toString().hashCode());
    }

    /** Highest batch id present (including a pruning marker), or empty when the table is empty. */
    public OptionalLong maxBatch(Connection c, TableName staging) throws SQLException {
        return queryLong(
                c,
                "SELECT MAX(" + dialect.quote(BATCH_ID) + ") FROM " + dialect.qualify(staging),
                null);
    }

    /** The newest batch id removed by pruning, or empty when nothing was pruned. */
    public OptionalLong prunedThrough(Connection c, TableName staging) throws SQLException {
        return queryLong(
                c,
                "SELECT MAX("
                        + dialect.quote(BATCH_ID)
                        + ") FROM "
                        + dialect.qualify(staging)
                        + " WHERE "
                        + dialect.quote(OP)
                        + " = ?",
                PRUNED);
    }

    private OptionalLong queryLong(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return OptionalLong.of(v);
                    }
                }
                return OptionalLong.empty();
            }
        }
    }

    /**
     * Deletes the batches loaded before {@code now - retention} and records the newest of them in a
     * {@code pruned} marker row (replacing the previous marker), in one transaction. Returns the
     * number of rows removed.
     */
    public long prune(Connection c, TableName staging, Duration retention, OffsetDateTime now)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            OptionalLong newest;
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT MAX("
                                    + dialect.quote(BATCH_ID)
                                    + ") FROM "
                                    + dialect.qualify(staging)
                                    + " WHERE "
                                    + dialect.quote(LOADED_AT)
                                    + " < ? AND "
                                    + dialect.quote(OP)
                                    + " <> ?")) {
                dialect.bind(ps, 1, ColumnType.TIMESTAMPTZ, now.minus(retention));
                ps.setString(2, PRUNED);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    newest = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
                }
            }
            if (newest.isEmpty()) {
                c.commit();
                return 0;
            }
            long removed;
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "DELETE FROM "
                                    + dialect.qualify(staging)
                                    + " WHERE "
                                    + dialect.quote(BATCH_ID)
                                    + " <= ?")) {
                ps.setLong(1, newest.getAsLong());
                removed = ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO "
                                    + dialect.qualify(staging)
                                    + " ("
                                    + dialect.quote(BATCH_ID)
                                    + ", "
                                    + dialect.quote(OP)
                                    + ", "
                                    + dialect.quote(LOADED_AT)
                                    + ") VALUES (?, ?, ?)")) {
                ps.setLong(1, newest.getAsLong());
                ps.setString(2, PRUNED);
                dialect.bind(ps, 3, ColumnType.TIMESTAMPTZ, now);
                ps.executeUpdate();
            }
            c.commit();
            return removed;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
