package io.datafabric.despacker.pack;

import io.datafabric.common.config.Settings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.core.plugin.PluginUtils;

/**
 * Loads Flink filesystem plugins for the commands run in this JVM ({@code pack}, {@code des gc}),
 * as a Flink cluster does: when a plugins directory exists ({@code FLINK_PLUGINS_DIR}, which {@code
 * bin/datafabric} points at {@code launcher/target/plugins}), each plugin, such as
 * flink-s3-fs-hadoop with its unrelocated Guava, Jackson and AWS SDK v1, gets its own class loader,
 * configured with the {@code flink.*} keys ({@code flink.s3.endpoint}, ...). Without a plugins
 * directory the filesystems are left as they are (a cluster's client, or a test that set them up).
 */
public final class PluginFileSystems {
    private PluginFileSystems() {}

    /**
     * @return whether a plugins directory was found and the filesystems were initialized with it
     */
    public static boolean initialize(Settings settings) {
        Configuration flink = Configuration.fromMap(settings.withPrefix("flink"));
        if (PluginConfig.fromConfiguration(flink).getPluginsPath().isEmpty()) {
            return false;
        }
        FileSystem.initialize(flink, PluginUtils.createPluginManagerFromRootFolder(flink));
        return true;
    }
}
