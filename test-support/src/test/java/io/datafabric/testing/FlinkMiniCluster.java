package io.datafabric.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster the ITCases share: register it once per class as a static extension and
 * every test of the class runs its jobs on the same cluster.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
 * }</pre>
 */
public final class FlinkMiniCluster {
    private FlinkMiniCluster() {}

    /** One task manager with four slots: enough for parallelism 2 with a little headroom. */
    public static MiniClusterExtension extension() {
        return extension(1, 4, new Configuration());
    }

    public static MiniClusterExtension extension(
            int taskManagers, int slotsPerTaskManager, Configuration extra) {
        Configuration config = new Configuration();
        config.set(
                TaskManagerOptions.MANAGED_MEMORY_SIZE,
                org.apache.flink.configuration.MemorySize.ofMebiBytes(128));
        config.addAll(extra);
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .setConfiguration(config)
                        .build());
    }
}
