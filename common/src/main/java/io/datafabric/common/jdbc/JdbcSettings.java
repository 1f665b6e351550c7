package io.datafabric.common.jdbc;

import io.datafabric.common.config.ConfigLoader;
import io.datafabric.common.config.Settings;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * How to reach one database. The password never comes from a YAML file in the repository: it is
 * read from an environment variable ({@code <prefix>.password-env}) or a file ({@code
 * <prefix>.password-file}, e.g. a mounted Kubernetes secret), or given directly through the
 * environment ({@code DF_..._PASSWORD}) or {@code --set}.
 */
public record JdbcSettings(String url, String user, String password) implements Serializable {

    public JdbcSettings {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("JDBC url must start with jdbc: but was " + url);
        }
        password = password == null ? "" : password;
    }

    /**
     * Reads {@code <prefix>.url}, {@code <prefix>.user} and the password from {@code
     * <prefix>.password-env} or {@code <prefix>.password-file} (or {@code <prefix>.password} when
     * it came from the environment or the command line). A {@code <prefix>.password} written in a
     * YAML file is refused, even when a later layer overrides it: a password never sits in a
     * configuration file. Problems are recorded on {@code settings}; the result is null when the
     * url is missing or invalid.
     */
    public static JdbcSettings from(Settings settings, String prefix, Map<String, String> env) {
        String url = settings.required(prefix + ".url");
        String user = settings.string(prefix + ".user", "");
        String password = settings.string(prefix + ".password", null);
        settings.fileOrigin(prefix + ".password")
                .ifPresent(
                        file ->
                                settings.problem(
                                        prefix
                                                + ".password is written in the configuration file "
                                                + file
                                                + ": passwords never sit in a configuration file;"
                                                + " name an environment variable with "
                                                + prefix
                                                + ".password-env, a file with "
                                                + prefix
                                                + ".password-file, or set "
                                                + ConfigLoader.envOfKey(prefix + ".password")));
        if (settings.has(prefix + ".password-env")) {
            String var = settings.optional(prefix + ".password-env").orElseThrow();
            password = env.get(var);
            if (password == null) {
                settings.problem(
                        prefix + ".password-env names " + var + " but that variable is not set");
            }
        } else if (settings.has(prefix + ".password-file")) {
            Path file = Path.of(settings.optional(prefix + ".password-file").orElseThrow());
            try {
                password = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                settings.problem(
                        prefix + ".password-file " + file + " cannot be read: " + e.getMessage());
            }
        }
        if (url == null) {
            return null;
        }
        if (!url.startsWith("jdbc:")) {
            settings.problem(prefix + ".url=" + url + " must start with jdbc:");
            return null;
        }
        return new JdbcSettings(url, user, password);
    }

    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (!user.isEmpty()) {
            props.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "JdbcSettings[url="
                + url
                + ", user="
                + user
                + ", password="
                + (password.isEmpty() ? "" : "***")
                + "]";
    }
}
