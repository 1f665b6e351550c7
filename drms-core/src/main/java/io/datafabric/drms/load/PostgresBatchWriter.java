package io.datafabric.drms.load;

import io.datafabric.drms.sql.PostgresDialect;
import io.datafabric.drms.sql.TableName;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * PostgreSQL batches through COPY: rows are copied into a temporary table ({@code ON COMMIT DROP})
 * and merged with {@code INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE}; the staging rows are
 * copied from the same temporary table. A load into a table that was empty at its start copies
 * straight into the table.
 */
public final class PostgresBatchWriter extends JdbcBatchWriter {
    /** Temporary table holding the batch being merged. */
    static final String STAGE = "drms_stage";

    /** Bytes buffered before one CopyData message is sent. */
    private static final int COPY_BUFFER = 1 << 16;

    private final PostgresDialect pg;

    public PostgresBatchWriter(PostgresDialect dialect) {
        super(dialect);
        this.pg = dialect;
    }

    @Override
    public void upsert(Connection c, TargetTable target, List<Object[]> rows, Stage stage)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        createStage(c, target);
        copyRows(c, TableName.of(STAGE), target, rows);
        mergeStage(c, target, stage);
    }

    @Override
    public void insertNew(Connection c, TargetTable target, List<Object[]> rows)
            throws SQLException {
        if (!rows.isEmpty()) {
            copyRows(c, target.table().table(), target, rows);
        }
    }

    /** Creates the empty temporary table with the target's loaded columns and their types. */
    public void createStage(Connection c, TargetTable target) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + pg.quote(STAGE));
            st.execute(
                    "CREATE TEMP TABLE "
                            + pg.quote(STAGE)
                            + " ON COMMIT DROP AS SELECT "
                            + columnList(target.columnNames())
                            + " FROM "
                            + pg.qualify(target.table().table())
                            + " WITH NO DATA");
        }
    }

    /**
     * Upserts the temporary table's rows into the target, stages them when asked, and drops the
     * temporary table.
     */
    public void mergeStage(Connection c, TargetTable target, Stage stage) throws SQLException {
        String cols = columnList(target.columnNames());
        try (Statement st = c.createStatement()) {
            st.executeUpdate(
                    "INSERT INTO "
                            + pg.qualify(target.table().table())
                            + " ("
                            + cols
                            + ") SELECT "
                            + cols
                            + " FROM "
                            + pg.quote(STAGE)
                            + pg.onConflict(target.columnNames(), target.table().primaryKey()));
        }
        if (stage != null && target.staged()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO "
                                    + pg.qualify(target.increments().table())
                                    + " ("
                                    + pg.quote(IncrementStore.BATCH_ID)
                                    + ", "
                                    + pg.quote(IncrementStore.OP)
                                    + ", "
                                    + pg.quote(IncrementStore.LOADED_AT)
                                    + ", "
                                    + cols
                                    + ") SELECT ?, ?, ?, "
                                    + cols
                                    + " FROM "
                                    + pg.quote(STAGE))) {
                ps.setLong(1, stage.batchId());
                ps.setString(2, IncrementStore.UPSERT);
                ps.setObject(3, stage.loadedAt());
                ps.executeUpdate();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + pg.quote(STAGE));
        }
    }

    /** {@code COPY table (columns) FROM STDIN} for the target's loaded columns. */
    public String copyInSql(TableName table, TargetTable target) {
        return "COPY "
                + pg.qualify(table)
                + " ("
                + columnList(target.columnNames())
                + ") FROM STDIN";
    }

    private void copyRows(Connection c, TableName table, TargetTable target, List<Object[]> rows)
            throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        CopyIn in = copy.copyIn(copyInSql(table, target));
        try {
            var types = types(target.columns());
            StringBuilder sb = new StringBuilder(COPY_BUFFER + 4096);
            for (Object[] r : rows) {
                PgCopyText.appendRow(sb, r, types);
                if (sb.length() >= COPY_BUFFER) {
                    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(b, 0, b.length);
                    sb.setLength(0);
                }
            }
            if (sb.length() > 0) {
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                in.writeToCopy(b, 0, b.length);
            }
            in.endCopy();
        } catch (SQLException | RuntimeException e) {
            try {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            } catch (SQLException cancel) {
                e.addSuppressed(cancel);
            }
            throw e;
        }
    }

    private String columnList(List<String> cols) {
        StringBuilder sb = new StringBuilder();
        for (String col : cols) {
            sb.append(sb.length() == 0 ? "" : ", ").append(pg.quote(col));
        }
        return sb.toString();
    }
}
