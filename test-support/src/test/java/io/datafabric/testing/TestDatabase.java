package io.datafabric.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A uniquely named database created for one test class on a local server and dropped afterwards;
 * the server-specific parts (admin connection, create and drop statements) are left to subclasses.
 */
abstract class TestDatabase implements BeforeAllCallback, AfterAllCallback {
    private final String service;
    private final int port;
    private String name;

    TestDatabase(String service, int port) {
        this.service = service;
        this.port = port;
    }

    abstract String urlFor(String database);

    abstract String adminDatabase();

    abstract String createStatement(String database);

    abstract String dropStatement(String database);

    public abstract String user();

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        createNamed(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        drop();
    }

    final void createNamed(String hint) throws SQLException {
        LocalServices.requireReachable(service, port);
        name = LocalServices.uniqueName("dft", hint);
        try (Connection admin = adminConnection();
                Statement st = admin.createStatement()) {
            st.execute(createStatement(name));
        }
    }

    /** Drops the database; for use outside JUnit (benchmarks, main methods). */
    public void drop() throws SQLException {
        if (name == null) {
            return;
        }
        try (Connection admin = adminConnection();
                Statement st = admin.createStatement()) {
            st.execute(dropStatement(name));
        }
        name = null;
    }

    private Connection adminConnection() throws SQLException {
        try {
            return DriverManager.getConnection(urlFor(adminDatabase()), user(), "");
        } catch (SQLException e) {
            throw LocalServices.unavailable(service, port, e);
        }
    }

    public String databaseName() {
        return name;
    }

    public String jdbcUrl() {
        return urlFor(name);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), "");
    }

    /** Runs one SQL statement. */
    public void execute(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The first column of the first row as a long, or {@code null} when SQL NULL or no row. */
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
