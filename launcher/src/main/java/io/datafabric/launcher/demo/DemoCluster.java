package io.datafabric.launcher.demo;

import io.datafabric.common.flink.FlinkEnvironments;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * One local Flink cluster for every job of the demo, with the web dashboard. Jobs join it through
 * {@link FlinkEnvironments#LOCAL_CLUSTER_PROPERTY}, so the dashboard shows all of them side by
 * side.
 */
final class DemoCluster implements AutoCloseable {
    private static final int SLOTS = 16;

    private final MiniCluster cluster;
    private final URI restAddress;

    private DemoCluster(MiniCluster cluster, URI restAddress) {
        this.cluster = cluster;
        this.restAddress = restAddress;
    }

    static DemoCluster start(int webPort) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, webPort);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(256));
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(SLOTS)
                                .build());
        cluster.start();
        URI rest = cluster.getRestAddress().get();
        System.setProperty(
                FlinkEnvironments.LOCAL_CLUSTER_PROPERTY, rest.getHost() + ":" + rest.getPort());
        return new DemoCluster(cluster, rest);
    }

    /** The dashboard's (and REST API's) address. */
    String url() {
        return "http://localhost:" + restAddress.getPort();
    }

    /**
     * Cancels the running jobs (so they stop cleanly, not by losing their TaskManager), then stops.
     */
    @Override
    public void close() throws Exception {
        System.clearProperty(FlinkEnvironments.LOCAL_CLUSTER_PROPERTY);
        try {
            for (JobStatusMessage job : cluster.listJobs().get(10, TimeUnit.SECONDS)) {
                if (!job.getJobState().isGloballyTerminalState()) {
                    cluster.cancelJob(job.getJobId()).get(10, TimeUnit.SECONDS);
                }
            }
            Deadline deadline = Deadline.fromNow(Duration.ofSeconds(20));
            while (deadline.hasTimeLeft() && anyRunning()) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } finally {
            cluster.close();
        }
    }

    private boolean anyRunning() throws Exception {
        return cluster.listJobs().get(10, TimeUnit.SECONDS).stream()
                .anyMatch(job -> !job.getJobState().isGloballyTerminalState());
    }
}
