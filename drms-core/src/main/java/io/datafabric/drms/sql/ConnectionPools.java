package io.datafabric.drms.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.datafabric.common.jdbc.JdbcSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One bounded HikariCP pool per database, keyed by the connection name of the graph file. Pools are
 * created up front and closed together; sessions start in UTC (see {@link
 * SqlDialect#sessionInitSql()}).
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
    public record ConnectionSpec(
            String name, JdbcSettings jdbc, SqlDialect dialect, int maxPoolSize) {
        public ConnectionSpec {
            Identifiers.check(name, "connection name");
            Objects.requireNonNull(jdbc, "jdbc");
            dialect = dialect == null ? SqlDialect.fromJdbcUrl(jdbc.url()) : dialect;
            if (maxPoolSize < 1 || maxPoolSize > 100) {
                throw new IllegalArgumentException(
                        "pool size for " + name + " must be 1..100 but was " + maxPoolSize);
            }
        }
    }

    private final Map<String, Database> databases = new LinkedHashMap<>();
    private final List<HikariDataSource> pools = new ArrayList<>();

    public ConnectionPools(Collection<ConnectionSpec> specs) {
        try {
            for (ConnectionSpec spec : specs) {
                if (databases.containsKey(spec.name())) {
                    throw new IllegalArgumentException(
                            "connection " + spec.name() + " defined twice");
                }
                HikariDataSource ds = new HikariDataSource(config(spec));
                pools.add(ds);
                databases.put(spec.name(), new Database(spec.name(), ds, spec.dialect()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static HikariConfig config(ConnectionSpec spec) {
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
        c.setConnectionTimeout(30_000);
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
    public Database database(String name) {
        Database db = databases.get(name);
        if (db == null) {
            throw new IllegalArgumentException(
                    "unknown connection '" + name + "' (known: " + databases.keySet() + ")");
        }
        return db;
    }

    public Set<String> names() {
        return databases.keySet();
    }

    @Override
    public void close() {
        for (HikariDataSource ds : pools) {
            ds.close();
        }
        pools.clear();
    }
}
