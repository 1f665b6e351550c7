package io.datafabric.replication.exec;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.datafabric.drms.graph.ConnectionSpec;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bounded HikariCP pool per database of the graph, so a burst of tasks waits for a connection
 * instead of opening hundreds. Passwords are read from the environment variable the connection
 * names, at the moment the pool opens.
 */
public final class ConnectionPools implements AutoCloseable {
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final Map<String, String> env;
    private final int maxPoolSize;
    private final Duration connectionTimeout;

    public ConnectionPools(Map<String, String> env, int maxPoolSize, Duration connectionTimeout) {
        this.env = env;
        this.maxPoolSize = maxPoolSize;
        this.connectionTimeout = connectionTimeout;
    }

    /** A connection to the database; the caller closes it (back to the pool). */
    public Connection connect(ConnectionSpec spec) throws SQLException {
        return pool(spec).getConnection();
    }

    /** The database as drms-core's loaders take it: its pool and its dialect. */
    public Database database(ConnectionSpec spec) throws SQLException {
        return new Database(spec.name(), pool(spec), SqlDialect.forName(spec.dialect()));
    }

    private HikariDataSource pool(ConnectionSpec spec) throws SQLException {
        String key = spec.name() + "|" + spec.url() + "|" + spec.user() + "|" + spec.passwordEnv();
        HikariDataSource existing = pools.get(key);
        if (existing != null) {
            return existing;
        }
        String password = "";
        if (!spec.passwordEnv().isEmpty()) {
            password = env.get(spec.passwordEnv());
            if (password == null) {
                throw new SQLException(
                        "connection "
                                + spec.name()
                                + " names password-env "
                                + spec.passwordEnv()
                                + " but that variable is not set");
            }
        }
        String pw = password;
        return pools.computeIfAbsent(
                key,
                k -> {
                    HikariConfig config = new HikariConfig();
                    config.setPoolName("drms-" + spec.name());
                    config.setJdbcUrl(spec.url());
                    if (!spec.user().isEmpty()) {
                        config.setUsername(spec.user());
                    }
                    if (!pw.isEmpty()) {
                        config.setPassword(pw);
                    }
                    config.setMaximumPoolSize(maxPoolSize);
                    config.setMinimumIdle(0);
                    config.setIdleTimeout(60_000);
                    config.setConnectionTimeout(connectionTimeout.toMillis());
                    // Pools open lazily and never fail start-up: a database that is down makes
                    // its tasks fail and retry, not the job.
                    config.setInitializationFailTimeout(-1);
                    return new HikariDataSource(config);
                });
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
