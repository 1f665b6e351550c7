package io.datafabric.replication;

import io.datafabric.common.config.ConfigException;
import io.datafabric.common.config.ConfigLoader;
import io.datafabric.common.config.Settings;
import io.datafabric.common.flink.FlinkEnvironments;
import io.datafabric.drms.control.ControlPlane;
import io.datafabric.drms.control.ControlSnapshot;
import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.control.ControlPlaneSource;
import io.datafabric.replication.events.EventExchange;
import io.datafabric.replication.events.EventPublishOptions;
import io.datafabric.replication.events.EventQueueSource;
import io.datafabric.replication.exec.JdbcEdgeTaskRunner;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.rabbitmq.RMQSink;
import org.apache.flink.streaming.connectors.rabbitmq.common.RMQConnectionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the replication job: keeps every approved edge of the control plane's graph in step, or with
 * {@code --bounded} runs each until source and target agree and exits.
 */
@Command(
        name = "replicate",
        mixinStandardHelpOptions = true,
        description =
                "Replicates datasets along the graph in the control plane (drms apply writes it).")
public final class ReplicateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ControlPlaneOptions control;

    @Option(
            names = "--bounded",
            description =
                    "Run every approved edge until source and target agree (deletes included),"
                            + " then exit 0 (1 if an edge failed); for tests and backfills")
    boolean bounded;

    @Option(
            names = "--rabbitmq-uri",
            description =
                    "amqp://user:pass@host:port/vhost for drms.events; without it edges run on"
                            + " schedule only (also rabbitmq.uri)")
    String rabbitmqUri;

    @Option(
            names = "--parallelism",
            description =
                    "Parallelism of the scheduler and executor (also replication.parallelism)")
    Integer parallelism;

    /** Why the last {@link #call()} failed, if it did by an exception (the job's cause). */
    private Exception failure;

    Exception failure() {
        return failure;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Settings settings;
        ReplicationSettings rs;
        try {
            ConfigLoader loader =
                    control.loader()
                            .set(ReplicationSettings.RABBITMQ_URI, rabbitmqUri, "--rabbitmq-uri")
                            .set(
                                    ReplicationSettings.PARALLELISM,
                                    parallelism == null ? null : parallelism.toString(),
                                    "--parallelism");
            if (bounded) {
                loader.set(ReplicationSettings.BOUNDED, "true", "--bounded");
            }
            settings = loader.load();
            rs = ReplicationSettings.from(settings, System.getenv());
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return DrmsCommand.BAD_INPUT;
        }
        try {
            ControlPlane plane = new ControlPlane(rs.control());
            plane.migrate();
            ControlSnapshot snap = plane.versions().current();
            if (!snap.problems().isEmpty()) {
                err.println("the control plane's graph is invalid: " + snap.problems());
                return DrmsCommand.BAD_INPUT;
            }
            String runId = rs.bounded() ? UUID.randomUUID().toString() : null;
            StreamExecutionEnvironment env = FlinkEnvironments.create(settings);
            env.setParallelism(rs.parallelism());
            if (!settings.has("flink." + CheckpointingOptions.CHECKPOINTING_INTERVAL.key())) {
                env.enableCheckpointing(10_000);
            }
            ReplicationPipeline pipeline =
                    ReplicationPipeline.builder(
                            rs,
                            new ControlPlaneSource(rs.control(), rs.pollInterval(), runId),
                            JdbcEdgeTaskRunner.factory(rs));
            if (runId != null) {
                pipeline.boundedRun(runId);
            }
            if (rs.rabbitUri() != null) {
                EventExchange.declare(rs.rabbitUri(), rs.exchange());
                RMQConnectionConfig rabbit =
                        new RMQConnectionConfig.Builder().setUri(rs.rabbitUri()).build();
                if (!rs.bounded()) {
                    pipeline.events(new EventQueueSource(rabbit, rs.exchange(), rs.queue()));
                }
                pipeline.eventSink(
                        new RMQSink<>(
                                rabbit,
                                new SimpleStringSchema(),
                                new EventPublishOptions(rs.exchange())));
            }
            pipeline.build(env);
            env.execute(rs.bounded() ? "drms replication (bounded)" : "drms replication");
            if (runId == null) {
                return DrmsCommand.OK;
            }
            List<String> notConverged = plane.tasks().approvedNotConverged(runId);
            if (notConverged.isEmpty()) {
                out.println("every approved edge converged");
                return DrmsCommand.OK;
            }
            err.println("edges that did not converge: " + String.join(", ", notConverged));
            return DrmsCommand.FAILED;
        } catch (Exception e) {
            failure = e;
            err.println("replication failed: " + e);
            return DrmsCommand.FAILED;
        }
    }
}
