package io.datafabric.drms.task;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.sql.ConnectionPools;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.SqlDialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helpers: pools over test databases and plain-JDBC reads independent of the code under test.
 */
final class Dbs {
    private Dbs() {}

    static ConnectionPools.PoolSpec spec(String name, String url, String user) {
        return new ConnectionPools.PoolSpec(
                name, new JdbcSettings(url, user, ""), SqlDialect.fromJdbcUrl(url), 4);
    }

    /** Runs statements in one connection. */
    static void exec(Database db, String... sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of a query as a list of strings (getString), in query order. */
    static List<List<String>> rows(Database db, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    r.add(rs.getString(i));
                }
                out.add(r);
            }
        }
        return out;
    }

    static String scalar(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
