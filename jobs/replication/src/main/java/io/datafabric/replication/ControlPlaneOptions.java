package io.datafabric.replication;

import io.datafabric.common.config.ConfigLoader;
import io.datafabric.common.config.Settings;
import io.datafabric.replication.config.ReplicationSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every replication command shares: where the control plane is, config, overrides. */
public final class ControlPlaneOptions {
    @Option(
            names = "--control-jdbc-url",
            description =
                    "JDBC url of the PostgreSQL control plane (schema drms); also control.jdbc.url"
                            + " or DF_CONTROL_JDBC_URL")
    String controlJdbcUrl;

    @Option(
            names = "--control-user",
            description = "User of the control-plane database; also control.jdbc.user")
    String controlUser;

    @Option(
            names = "--config",
            description = "YAML configuration file (keys as documented in the README)")
    Path config;

    @Option(
            names = "--set",
            description = "Sets one configuration key: --set replication.capacity=100 (repeatable)")
    List<String> overrides = new ArrayList<>();

    /** Settings from the config file, DF_* variables, --set, then these options. */
    public ConfigLoader loader() {
        return new ConfigLoader()
                .yamlFile(config)
                .environment(System.getenv())
                .overrides(overrides)
                .set(
                        ReplicationSettings.CONTROL_JDBC + ".url",
                        controlJdbcUrl,
                        "--control-jdbc-url")
                .set(ReplicationSettings.CONTROL_JDBC + ".user", controlUser, "--control-user");
    }

    public Settings load() {
        return loader().load();
    }
}
