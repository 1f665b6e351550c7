package io.datafabric.drms.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * One database the replication reads or writes: a name (the graph file's connection name, used in
 * logs and errors), a pool and its dialect.
 */
public record Database(String name, DataSource dataSource, SqlDialect dialect) {
    public Database {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(dialect, "dialect");
    }

    /** A connection with the dialect's session settings applied (UTC session time zone). */
    public Connection connect() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            for (String sql : dialect.sessionInitSql()) {
                try (var st = c.createStatement()) {
                    st.execute(sql);
                }
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return name + " (" + dialect.name() + ")";
    }
}
