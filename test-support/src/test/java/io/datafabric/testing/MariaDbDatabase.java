package io.datafabric.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A fresh, uniquely named MariaDB database for one test class, dropped afterwards. */
public final class MariaDbDatabase implements BeforeAllCallback, AfterAllCallback {
    private String name;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        create(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        drop();
    }

    public MariaDbDatabase create(String hint) throws SQLException {
        LocalServices.requireReachable("MariaDB", LocalServices.MARIADB_PORT);
        name = LocalServices.uniqueName("dft", hint);
        try (Connection admin = adminConnection();
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return this;
    }

    public void drop() throws SQLException {
        if (name == null) {
            return;
        }
        try (Connection admin = adminConnection();
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
        }
        name = null;
    }

    private static Connection adminConnection() throws SQLException {
        try {
            return DriverManager.getConnection(urlFor(""), LocalServices.MARIADB_USER, "");
        } catch (SQLException e) {
            throw LocalServices.unavailable("MariaDB", LocalServices.MARIADB_PORT, e);
        }
    }

    private static String urlFor(String database) {
        return "jdbc:mariadb://"
                + LocalServices.HOST
                + ":"
                + LocalServices.MARIADB_PORT
                + "/"
                + database
                + "?allowLocalInfile=true";
    }

    public String databaseName() {
        return name;
    }

    public String jdbcUrl() {
        return urlFor(name);
    }

    public String user() {
        return LocalServices.MARIADB_USER;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), "");
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public Long queryLong(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            long value = rs.getLong(1);
            return rs.wasNull() ? null : value;
        }
    }
}
