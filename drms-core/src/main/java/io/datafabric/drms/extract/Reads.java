package io.datafabric.drms.extract;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.SqlQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs a rendered SELECT and reads its rows with the dialect's typed getters. */
final class Reads {
    private Reads() {}

    /** A row visitor that may fail with SQLException. */
    interface RowHandler {
        void row(Object[] values) throws SQLException;
    }

    /** Streams the query's rows (fetch size honoured; PostgreSQL needs a transaction for it). */
    static void stream(
            Database db, SqlQuery q, List<Column> columns, int fetchSize, RowHandler handler)
            throws SQLException {
        SqlDialect d = db.dialect();
        try (Connection c = db.connect()) {
            boolean auto = c.getAutoCommit();
            // PgJDBC only streams with a cursor inside a transaction; elsewhere it buffers all.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                ps.setFetchSize(fetchSize);
                q.bind(ps, d);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] v = new Object[columns.size()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = d.read(rs, i + 1, columns.get(i).type());
                        }
                        handler.row(v);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    static List<Object[]> list(Database db, SqlQuery q, List<Column> columns, int fetchSize)
            throws SQLException {
        List<Object[]> out = new ArrayList<>();
        stream(db, q, columns, fetchSize, out::add);
        return out;
    }
}
