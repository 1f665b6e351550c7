package io.datafabric.drms.load;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.PostgresDialect;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableName;
import io.datafabric.drms.sql.Values;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * PostgreSQL to PostgreSQL chunk transfer: {@code COPY (SELECT ...) TO STDOUT} on the source
 * streamed into {@code COPY ... FROM STDIN} on the target, without decoding rows in Java.
 *
 * <p>COPY cannot take bind parameters, so the query's values travel as transaction-local settings:
 * {@code SELECT set_config('drms.p1', ?, true)} binds each value, and the query reads it back as
 * {@code current_setting('drms.p1')::type}. The SQL text still contains no value, only quoted
 * identifiers and parameter names.
 */
public final class PgCopyTransfer {
    /** Bytes buffered before one CopyData message is written to the target. */
    private static final int BUFFER = 1 << 16;

    private static final PostgresDialect PG = PostgresDialect.INSTANCE;

    private final PostgresBatchWriter writer = new PostgresBatchWriter(PG);

    /** Rows copied and the key of the last one (null when none). */
    public record Result(long rows, List<Object> lastKey) {}

    /**
     * Copies the rows of {@code select} (ordered by key, limited) from {@code source} into the
     * target inside the target connection's open transaction: straight into the table when {@code
     * direct}, else through the temporary table, merged by key and staged under {@code stage}.
     *
     * @param keyIndexes positions of the key columns among the selected columns
     * @param keyColumns the key columns (their types parse the last row's key)
     */
    public Result copyChunk(
            Connection source,
            Connection target,
            Select select,
            int[] keyIndexes,
            List<Column> keyColumns,
            TargetTable table,
            boolean direct,
            Stage stage)
            throws SQLException {
        SqlQuery q =
                select.render(
                        PG, (i, type) -> "current_setting('drms.p" + i + "')::" + castType(type));
        boolean auto = source.getAutoCommit();
        source.setAutoCommit(false);
        try {
            try (Statement st = source.createStatement()) {
                // Text output that the target parses back exactly, whatever the server defaults.
                st.execute("SET LOCAL DateStyle = 'ISO, YMD'");
                st.execute("SET LOCAL TimeZone = 'UTC'");
                st.execute("SET LOCAL bytea_output = 'hex'");
                st.execute("SET LOCAL extra_float_digits = 1");
            }
            bindSettings(source, q);
            TableName into =
                    direct ? table.table().table() : TableName.of(PostgresBatchWriter.STAGE);
            if (!direct) {
                writer.createStage(target, table);
            }
            CopyOut out =
                    source.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyOut("COPY (" + q.sql() + ") TO STDOUT");
            CopyIn in = null;
            byte[] last = null;
            long rows = 0;
            try {
                in =
                        target.unwrap(PGConnection.class)
                                .getCopyAPI()
                                .copyIn(writer.copyInSql(into, table));
                byte[] buf = new byte[BUFFER];
                int used = 0;
                byte[] row;
                while ((row = out.readFromCopy()) != null) {
                    if (used + row.length > buf.length) {
                        in.writeToCopy(buf, 0, used);
                        used = 0;
                    }
                    if (row.length > buf.length) {
                        in.writeToCopy(row, 0, row.length);
                    } else {
                        System.arraycopy(row, 0, buf, used, row.length);
                        used += row.length;
                    }
                    last = row;
                    rows++;
                }
                if (used > 0) {
                    in.writeToCopy(buf, 0, used);
                }
                in.endCopy();
            } catch (SQLException | RuntimeException e) {
                cancelQuietly(out, e);
                if (in != null) {
                    cancelQuietly(in, e);
                }
                throw e;
            }
            source.commit();
            if (!direct) {
                writer.mergeStage(target, table, stage);
            }
            return new Result(rows, last == null ? null : keyOf(last, keyIndexes, keyColumns));
        } catch (SQLException | RuntimeException e) {
            source.rollback();
            throw e;
        } finally {
            source.setAutoCommit(auto);
        }
    }

    private static String castType(ColumnType type) {
        return type.kind() == ColumnType.Kind.OTHER ? "text" : PG.typeSql(type, false);
    }

    private static void bindSettings(Connection source, SqlQuery q) throws SQLException {
        if (q.params().isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 1; i <= q.params().size(); i++) {
            sql.append(i == 1 ? "" : ", ")
                    .append("set_config('drms.p")
                    .append(i)
                    .append("', ?, true)");
        }
        try (PreparedStatement ps = source.prepareStatement(sql.toString())) {
            for (int i = 0; i < q.params().size(); i++) {
                ps.setString(i + 1, Values.canonical(q.params().get(i)));
            }
            ps.executeQuery().close();
        }
    }

    private static List<Object> keyOf(byte[] row, int[] keyIndexes, List<Column> keyColumns) {
        List<String> fields = PgCopyText.fields(row);
        List<Object> key = new ArrayList<>(keyIndexes.length);
        for (int i = 0; i < keyIndexes.length; i++) {
            key.add(Values.coerce(fields.get(keyIndexes[i]), keyColumns.get(i).type()));
        }
        return key;
    }

    private static void cancelQuietly(org.postgresql.copy.CopyOperation op, Exception cause) {
        try {
            if (op.isActive()) {
                op.cancelCopy();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
