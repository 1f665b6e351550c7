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
 * A fresh, uniquely named PostgreSQL database for one test class, dropped afterwards.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
 * }</pre>
 */
public final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {
    private String name;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        create(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        drop();
    }

    /** Creates the database; for use outside JUnit (benchmarks, main methods). */
    public PostgresDatabase create(String hint) throws SQLException {
        LocalServices.requireReachable("PostgreSQL", LocalServices.PG_PORT);
        name = LocalServices.uniqueName("dft", hint);
        try (Connection admin = adminConnection();
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return this;
    }

    public void drop() throws SQLException {
        if (name == null) {
            return;
        }
        try (Connection admin = adminConnection();
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        name = null;
    }

    private static Connection adminConnection() throws SQLException {
        try {
            return DriverManager.getConnection(urlFor("postgres"), LocalServices.PG_USER, "");
        } catch (SQLException e) {
            throw LocalServices.unavailable("PostgreSQL", LocalServices.PG_PORT, e);
        }
    }

    private static String urlFor(String database) {
        return "jdbc:postgresql://"
                + LocalServices.HOST
                + ":"
                + LocalServices.PG_PORT
                + "/"
                + database;
    }

    public String databaseName() {
        return name;
    }

    public String jdbcUrl() {
        return urlFor(name);
    }

    public String user() {
        return LocalServices.PG_USER;
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
