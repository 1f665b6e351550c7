package io.datafabric.testing;

import java.sql.SQLException;

/**
 * A fresh, uniquely named PostgreSQL database for one test class, dropped afterwards.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
 * }</pre>
 */
public final class PostgresDatabase extends TestDatabase {

    public PostgresDatabase() {
        super("PostgreSQL", LocalServices.PG_PORT);
    }

    /** Creates the database; for use outside JUnit (benchmarks, main methods). */
    public PostgresDatabase create(String hint) throws SQLException {
        createNamed(hint);
        return this;
    }

    @Override
    String urlFor(String database) {
        return "jdbc:postgresql://"
                + LocalServices.HOST
                + ":"
                + LocalServices.PG_PORT
                + "/"
                + database;
    }

    @Override
    String adminDatabase() {
        return "postgres";
    }

    @Override
    String createStatement(String database) {
        return "CREATE DATABASE " + database;
    }

    @Override
    String dropStatement(String database) {
        return "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)";
    }

    @Override
    public String user() {
        return LocalServices.PG_USER;
    }
}
