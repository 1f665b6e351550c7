package io.datafabric.replication.exec;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.graph.ConnectionSpec;
import io.datafabric.drms.sql.Database;
import io.datafabric.drms.sql.SqlDialect;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * The graph's connections as drms-core databases: one bounded pool per database (drms-core's {@link
 * io.datafabric.drms.sql.ConnectionPools}), opened on first use, so a burst of tasks waits for a
 * connection instead of opening hundreds. Passwords are read from the environment variable the
 * connection names, at the moment its pool opens.
 */
public final class GraphDatabases implements AutoCloseable {
    private final io.datafabric.drms.sql.ConnectionPools pools;
    private final Map<String, String> env;
    private final int maxPoolSize;

    public GraphDatabases(Map<String, String> env, int maxPoolSize, Duration connectionTimeout) {
        this.pools = new io.datafabric.drms.sql.ConnectionPools(connectionTimeout);
        this.env = env;
        this.maxPoolSize = maxPoolSize;
    }

    /** The database as drms-core's loaders take it: its pool and its dialect. */
    public Database database(ConnectionSpec spec) throws SQLException {
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
        return pools.open(
                new io.datafabric.drms.sql.ConnectionPools.PoolSpec(
                        spec.name(),
                        new JdbcSettings(spec.url(), spec.user(), password),
                        SqlDialect.forName(spec.dialect()),
                        maxPoolSize));
    }

    @Override
    public void close() {
        pools.close();
    }
}
