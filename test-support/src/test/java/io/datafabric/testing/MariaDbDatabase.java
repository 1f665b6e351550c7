package io.datafabric.testing;

import java.sql.SQLException;

/** A fresh, uniquely named MariaDB database for one test class, dropped afterwards. */
public final class MariaDbDatabase extends TestDatabase {

    public MariaDbDatabase() {
        super("MariaDB", LocalServices.MARIADB_PORT);
    }

    /** Creates the database; for use outside JUnit (benchmarks, main methods). */
    public MariaDbDatabase create(String hint) throws SQLException {
        createNamed(hint);
        return this;
    }

    @Override
    String urlFor(String database) {
        return "jdbc:mariadb://"
                + LocalServices.HOST
                + ":"
                + LocalServices.MARIADB_PORT
                + "/"
                + database
                + "?allowLocalInfile=true";
    }

    @Override
    String adminDatabase() {
        return "";
    }

    @Override
    String createStatement(String database) {
        return "CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
    }

    @Override
    String dropStatement(String database) {
        return "DROP DATABASE IF EXISTS " + database;
    }

    @Override
    public String user() {
        return LocalServices.MARIADB_USER;
    }
}
