package io.datafabric.drms.load;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batches as multi-row statements: {@code INSERT ... VALUES (..), (..) ON DUPLICATE KEY UPDATE} on
 * MariaDB/MySQL; on databases without an upsert, a DELETE of the batch's keys followed by multi-row
 * INSERTs in the same transaction.
 */
public class JdbcBatchWriter implements BatchWriter {
    /** Bind parameters per statement stay well below every driver's limit (65535). */
    private static final int MAX_PARAMS = 30_000;

    private static final int MAX_ROWS_PER_STATEMENT = 1000;

    /** Keys per DELETE / lookup statement. */
    static final int KEYS_PER_STATEMENT = 500;

    final SqlDialect dialect;

    public JdbcBatchWriter(SqlDialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public void upsert(Connection c, TargetTable target, List<Object[]> rows, Stage stage)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<String> cols = target.columnNames();
        List<String> key = target.table().primaryKey();
        TableName table = target.table().table();
        if (dialect.upsertSql(table, cols, key, 1).isPresent()) {
            insertRows(
                    c,
                    n -> dialect.upsertSql(table, cols, key, n).orElseThrow(),
                    types(target.columns()),
                    rows);
        } else {
            List<Object[]> keys = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                keys.add(target.keyOf(r));
            }
            deleteKeys(c, target, keys);
            insertRows(c, n -> insertSql(table, cols, n), types(target.columns()), rows);
        }
        if (stage != null && target.staged()) {
            stageRows(c, target, rows, IncrementStore.UPSERT, stage);
        }
    }

    @Override
    public void insertNew(Connection c, TargetTable target, List<Object[]> rows)
            throws SQLException {
        // A plain INSERT would fail on a key loaded by a concurrent writer; the upsert is as
        // fast on MariaDB and keeps a retried chunk harmless.
        upsert(c, target, rows, null);
    }

    @Override
    public List<Object[]> delete(Connection c, TargetTable target, List<Object[]> keys, Stage stage)
            throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<Object[]> existing = existingKeys(c, target, keys);
        deleteKeys(c, target, existing);
        if (stage != null && target.staged() && !existing.isEmpty()) {
            int width = target.columns().size();
            int[] keyIdx = target.keyIndexes();
            List<Object[]> rows = new ArrayList<>(existing.size());
            for (Object[] k : existing) {
                Object[] row = new Object[width];
                for (int i = 0; i < keyIdx.length; i++) {
                    row[keyIdx[i]] = k[i];
                }
                rows.add(row);
            }
            stageRows(c, target, rows, IncrementStore.DELETE, stage);
        }
        return existing;
    }

    /** Those of {@code keys} present in the target, as read back from it. */
    List<Object[]> existingKeys(Connection c, TargetTable target, List<Object[]> keys)
            throws SQLException {
        List<String> key = target.table().primaryKey();
        List<ColumnType> keyTypes = types(target.table().primaryKeyColumns());
        List<Object[]> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
            List<List<Object>> part = new ArrayList<>();
            for (Object[] k :
                    keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT))) {
                part.add(Arrays.asList(k));
            }
            SqlQuery q = Select.from(target.table()).columns(key).keyIn(key, part).render(dialect);
            try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                q.bind(ps, dialect);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] k = new Object[key.size()];
                        for (int i = 0; i < k.length; i++) {
                            k[i] = dialect.read(rs, i + 1, keyTypes.get(i));
                        }
                        found.add(k);
                    }
                }
            }
        }
        return found;
    }

    /** DELETE ... WHERE key IN (...), in statements of bounded size. */
    void deleteKeys(Connection c, TargetTable target, List<Object[]> keys) throws SQLException {
        List<String> key = target.table().primaryKey();
        for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
            List<List<Object>> part = new ArrayList<>();
            for (Object[] k :
                    keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT))) {
                part.add(Arrays.asList(k));
            }
            // The WHERE clause comes from the same builder as SELECTs, so keys are parameters.
            SqlQuery select =
                    Select.from(target.table()).columns(key).keyIn(key, part).render(dialect);
            String where = select.sql().substring(select.sql().indexOf(" WHERE "));
            String sql = "DELETE FROM " + dialect.qualify(target.table().table()) + where;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                select.bind(ps, dialect);
                ps.executeUpdate();
            }
        }
    }

    /** Appends rows to {@code <table>__inc} with the batch id, operation and load time. */
    void stageRows(Connection c, TargetTable target, List<Object[]> rows, String op, Stage stage)
            throws SQLException {
        List<String> cols = new ArrayList<>();
        cols.add(IncrementStore.BATCH_ID);
        cols.add(IncrementStore.OP);
        cols.add(IncrementStore.LOADED_AT);
        cols.addAll(target.columnNames());
        List<ColumnType> types = new ArrayList<>();
        types.add(ColumnType.BIGINT);
        types.add(ColumnType.varchar(8));
        types.add(ColumnType.TIMESTAMPTZ);
        types.addAll(types(target.columns()));
        List<Object[]> staged = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            Object[] s = new Object[r.length + 3];
            s[0] = stage.batchId();
            s[1] = op;
            s[2] = stage.loadedAt();
            System.arraycopy(r, 0, s, 3, r.length);
            staged.add(s);
        }
        TableName inc = target.increments().table();
        insertRows(c, n -> insertSql(inc, cols, n), types, staged);
    }

    String insertSql(TableName table, List<String> cols, int rows) {
        StringBuilder sb = new StringBuilder("INSERT INTO ");
        sb.append(dialect.qualify(table)).append(" (");
        for (int i = 0; i < cols.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.quote(cols.get(i)));
        }
        sb.append(") VALUES ");
        StringBuilder one = new StringBuilder("(");
        for (int i = 0; i < cols.size(); i++) {
            one.append(i == 0 ? "?" : ", ?");
        }
        one.append(')');
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "" : ", ").append(one);
        }
        return sb.toString();
    }

    /** Runs {@code sqlFor(n)} (a statement for n rows) over the rows in groups. */
    void insertRows(
            Connection c,
            java.util.function.IntFunction<String> sqlFor,
            List<ColumnType> types,
            List<Object[]> rows)
            throws SQLException {
        int width = types.size();
        int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, MAX_PARAMS / width));
        int full = rows.size() / perStatement;
        if (full > 0) {
            try (PreparedStatement ps = c.prepareStatement(sqlFor.apply(perStatement))) {
                for (int g = 0; g < full; g++) {
                    bindRows(ps, types, rows.subList(g * perStatement, (g + 1) * perStatement));
                    ps.executeUpdate();
                }
            }
        }
        int rest = rows.size() - full * perStatement;
        if (rest > 0) {
            try (PreparedStatement ps = c.prepareStatement(sqlFor.apply(rest))) {
                bindRows(ps, types, rows.subList(full * perStatement, rows.size()));
                ps.executeUpdate();
            }
        }
    }

    private void bindRows(PreparedStatement ps, List<ColumnType> types, List<Object[]> rows)
            throws SQLException {
        int p = 1;
        for (Object[] r : rows) {
            for (int i = 0; i < types.size(); i++) {
                dialect.bind(ps, p++, types.get(i), r[i]);
            }
        }
    }

    static List<ColumnType> types(List<Column> cols) {
        return cols.stream().map(Column::type).toList();
    }
}
