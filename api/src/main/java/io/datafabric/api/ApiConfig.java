package io.datafabric.api;

import io.datafabric.common.config.Settings;
import io.datafabric.common.jdbc.JdbcSettings;
import java.util.Map;

/**
 * The api service's configuration: where it listens and which PostgreSQL holds the control plane,
 * usage totals and DES metadata.
 *
 * <p>Keys: {@code api.host} (default 127.0.0.1), {@code api.port} (default 8080), {@code
 * api.db-pool-size} (default 8), {@code jdbc.url}, {@code jdbc.user}, {@code jdbc.password-env} /
 * {@code jdbc.password-file}.
 */
public record ApiConfig(String host, int port, int dbPoolSize, JdbcSettings jdbc) {

    /** Reads and validates; throws a ConfigException listing every problem. */
    public static ApiConfig from(Settings settings, Map<String, String> env) {
        String host = settings.string("api.host", "127.0.0.1");
        int port = settings.intValue("api.port", 8080, 0, 65535);
        int pool = settings.intValue("api.db-pool-size", 8, 1, 200);
        JdbcSettings jdbc = JdbcSettings.from(settings, "jdbc", env);
        settings.validate();
        return new ApiConfig(host, port, pool, jdbc);
    }
}
