package io.datafabric.drms.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.datafabric.common.jdbc.JdbcSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One bounded HikariCP pool per database, keyed by the connection name of the graph file. Pools are
 * created up front from the given specs, or on first use with {@link #open}, and closed together;
 * sessions start in UTC (see {@link SqlDialect#sessionInitSql()}).
 */
public final class ConnectionPools implements AutoCloseable {

    /**
     * How to reach one database.
     *
     * @param name connection name (graph file key)
     * @param jdbc url, user and password
     * @param dialect null to detect it from the url
     * @param maxPoolSize upper bound of open connections to this database
     */
    public record PoolSpec(String name, JdbcSettings jdbc, SqlDialect dialect, int maxPoolSize) {
        public PoolSpec {
            Identifiers.check(name, "connection name");
            Objects.requireNonNull(jdbc, "jdbc");
            dialect = dialect == null ? SqlDialect.fromJdbcUrl(jdbc.url()) : dialect;
            if (maxPoolSize < 1 || maxPoolSize > 1000) {
                throw new IllegalArgumentException(
                        "pool size for " + name + " must be 1..1000 but was " + maxPoolSize);
            }
        }
    }

    private final Map<String, Database> databases = new LinkedHashMap<>();
    private final Map<PoolSpec, Database> bySpec = new HashMap<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final Duration connectionTimeout;

    /**
     * Pools opened on first use only, with {@link #open}.
     *
     * @param connectionTimeout how long a task waits for a free connection
     */
    public ConnectionPools(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    public ConnectionPools(Collection<PoolSpec> specs) {
        this.connectionTimeout = Duration.ofSeconds(30);
        try {
            for (PoolSpec spec : specs) {
                if (databases.containsKey(spec.name())) {
                    throw new IllegalArgumentException(
                            "connection " + spec.name() + " defined twice");
                }
                open(spec);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The database of {@code spec}, its pool opened on first use. A connection whose definition
     * changed (another url, user or password) gets a pool of its own and becomes the database
     * {@link #database(String)} returns for that name.
     */
    public synchronized Database open(PoolSpec spec) {
        Database db = bySpec.get(spec);
        if (db == null) {
            HikariDataSource ds = new HikariDataSource(config(spec));
            pools.add(ds);
            db = new Database(spec.name(), ds, spec.dialect());
            bySpec.put(spec, db);
            databases.put(spec.name(), db);
        }
        return db;
    }

    private HikariConfig config(PoolSpec spec) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("drms-" + spec.name());
        c.setJdbcUrl(spec.jdbc().url());
        if (!spec.jdbc().user().isEmpty()) {
            c.setUsername(spec.jdbc().user());
        }
        if (!spec.jdbc().password().isEmpty()) {
            c.setPassword(spec.jdbc().password());
        }
        c.setMaximumPoolSize(spec.maxPoolSize());
        c.setMinimumIdle(0);
        c.setIdleTimeout(60_000);
        c.setConnectionTimeout(connectionTimeout.toMillis());
        // Fail on first use rather than at construction: a database that is down must not stop
        // the edges that do not touch it.
        c.setInitializationFailTimeout(-1);
        List<String> init = spec.dialect().sessionInitSql();
        if (!init.isEmpty()) {
            c.setConnectionInitSql(String.join("; ", init));
        }
        return c;
    }

    /** The database named {@code name}; an unknown name is an error listing the known ones. */
    public synchronized Database database(String name) {
        Database db = databases.get(name);
        if (db == null) {
            throw new IllegalArgumentException(
                    "unknown connection '" + name + "' (known: " + databases.keySet() + ")");
        }
        return db;
    }

    @Override
    public synchronized void close() {
        for (HikariDataSource ds : pools) {
            ds.close();
        }
        pools.clear();
        bySpec.clear();
        databases.clear();
    }
}
