package io.datafabric.drms.graph;

import java.util.Locale;
import java.util.Set;

/**
 * A database the graph reads or writes. The password is never part of the graph: {@code
 * passwordEnv} names the environment variable that holds it (empty when none is needed).
 */
public record ConnectionSpec(
        String name, String dialect, String url, String user, String passwordEnv) {
    /** The dialects a connection may declare. */
    public static final Set<String> DIALECTS = Set.of("postgres", "mariadb", "generic");

    public ConnectionSpec {
        dialect = dialect == null ? null : dialect.toLowerCase(Locale.ROOT);
        user = user == null ? "" : user;
        passwordEnv = passwordEnv == null ? "" : passwordEnv;
    }

    /**
     * A table name as this connection's database resolves it: lower case, and for PostgreSQL
     * without the default {@code public.} schema, so {@code public.Orders} and {@code orders} name
     * one table.
     */
    public String canonicalTable(String table) {
        String t = table.trim().toLowerCase(Locale.ROOT).replace("\"", "").replace("`", "");
        if ("postgres".equals(dialect) && t.startsWith("public.")) {
            t = t.substring("public.".length());
        }
        return t;
    }

    /** The url without parameters, lower case: two connections with it reach one database. */
    public String canonicalUrl() {
        String u = url == null ? "" : url.trim().toLowerCase(Locale.ROOT);
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }
}
