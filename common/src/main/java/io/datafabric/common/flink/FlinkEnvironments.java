package io.datafabric.common.flink;

import io.datafabric.common.config.Settings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Creates the execution environment of a job. Under {@code flink run} (or the Kubernetes operator)
 * the cluster's environment is used; launched locally by {@code bin/datafabric}, a MiniCluster with
 * the web dashboard starts in-process.
 *
 * <p>Keys under {@code flink.} in the DataFabric configuration are passed to Flink as they are
 * ({@code flink.execution.checkpointing.interval: 10s}).
 */
public final class FlinkEnvironments {
    /** System property set by the local launcher: the port of the local dashboard. */
    public static final String LOCAL_WEB_PORT_PROPERTY = "datafabric.local.web-port";

    private FlinkEnvironments() {}

    public static StreamExecutionEnvironment create(Settings settings) {
        Configuration flink = Configuration.fromMap(settings.withPrefix("flink"));
        String localWebPort = System.getProperty(LOCAL_WEB_PORT_PROPERTY);
        if (localWebPort != null) {
            flink.set(RestOptions.PORT, Integer.parseInt(localWebPort));
            return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }
}
