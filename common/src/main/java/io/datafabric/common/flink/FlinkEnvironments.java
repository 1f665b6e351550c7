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

    /**
     * System property set by the local demo: {@code host:port} of the REST endpoint of a Flink
     * cluster already running in this JVM (or reachable with the job classes on its classpath),
     * which every job then joins instead of starting its own.
     */
    public static final String LOCAL_CLUSTER_PROPERTY = "datafabric.local.cluster";

    private FlinkEnvironments() {}

    public static StreamExecutionEnvironment create(Settings settings) {
        Configuration flink = Configuration.fromMap(settings.withPrefix("flink"));
        String cluster = System.getProperty(LOCAL_CLUSTER_PROPERTY);
        if (cluster != null) {
            int colon = cluster.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        LOCAL_CLUSTER_PROPERTY + " must be host:port, was '" + cluster + "'");
            }
            return StreamExecutionEnvironment.createRemoteEnvironment(
                    cluster.substring(0, colon),
                    Integer.parseInt(cluster.substring(colon + 1)),
                    flink);
        }
        String localWebPort = System.getProperty(LOCAL_WEB_PORT_PROPERTY);
        if (localWebPort != null) {
            flink.set(RestOptions.PORT, Integer.parseInt(localWebPort));
            return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }
}
