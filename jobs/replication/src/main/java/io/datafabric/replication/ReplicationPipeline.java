package io.datafabric.replication;

import io.datafabric.replication.config.ReplicationSettings;
import io.datafabric.replication.events.DatasetEventRouter;
import io.datafabric.replication.events.DrmsEvent;
import io.datafabric.replication.exec.EdgeTaskFunction;
import io.datafabric.replication.exec.EdgeTaskRunner;
import io.datafabric.replication.exec.TaskOutcome;
import io.datafabric.replication.schedule.ControlEvent;
import io.datafabric.replication.schedule.EdgeCommand;
import io.datafabric.replication.schedule.EdgeScheduler;
import io.datafabric.replication.schedule.TaskRequest;
import io.datafabric.replication.stream.StreamTypes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * Builds the replication topology from given sources and sinks, so tests run the very pipeline the
 * job runs:
 *
 * <pre>
 * control plane ──┬─ edge changes ───────────────────┐
 *                 └─ graph (broadcast) ─┐             ├─ keyBy edge ─ EdgeScheduler ─ keyBy edge
 * drms.events ──────────────────────── DatasetEventRouter ┘   ─ async EdgeTaskFunction ─┬─ outcomes
 *                                                                  loaded rows → drms.events
 * </pre>
 */
public final class ReplicationPipeline {
    public static final String UID_CONTROL = "drms-control-source";
    public static final String UID_EDGE_COMMANDS = "drms-edge-commands";
    public static final String UID_EVENTS = "drms-event-source";
    public static final String UID_ROUTER = "drms-event-router";
    public static final String UID_SCHEDULER = "drms-edge-scheduler";
    public static final String UID_EXECUTOR = "drms-task-executor";
    public static final String UID_EVENT_JSON = "drms-event-json";
    public static final String UID_EVENT_SINK = "drms-event-sink";

    private final ReplicationSettings settings;
    private final SourceFunction<ControlEvent> control;
    private final EdgeTaskRunner.Factory runners;
    private SourceFunction<String> events;
    private SinkFunction<String> eventSink;
    private String runId;

    private ReplicationPipeline(
            ReplicationSettings settings,
            SourceFunction<ControlEvent> control,
            EdgeTaskRunner.Factory runners) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.control = Objects.requireNonNull(control, "control");
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    /**
     * A pipeline reading the graph from {@code control} ({@code ControlPlaneSource} in the job) and
     * running loads with {@code runners}. Without {@link #events} edges run on schedule only;
     * without {@link #eventSink} no events are published.
     */
    public static ReplicationPipeline builder(
            ReplicationSettings settings,
            SourceFunction<ControlEvent> control,
            EdgeTaskRunner.Factory runners) {
        return new ReplicationPipeline(settings, control, runners);
    }

    /** Events from {@code drms.events}: they trigger the edges right downstream at once. */
    public ReplicationPipeline events(SourceFunction<String> source) {
        this.events = Objects.requireNonNull(source, "events");
        return this;
    }

    /** Where events of loaded rows are published. */
    public ReplicationPipeline eventSink(SinkFunction<String> sink) {
        this.eventSink = Objects.requireNonNull(sink, "eventSink");
        return this;
    }

    /** Makes this a bounded run: each edge converges once, its tasks tagged with {@code id}. */
    public ReplicationPipeline boundedRun(String id) {
        this.runId = Objects.requireNonNull(id, "runId");
        return this;
    }

    /** Adds the pipeline to {@code env} and returns the task outcomes. */
    public DataStream<TaskOutcome> build(StreamExecutionEnvironment env) {
        env.getConfig().disableGenericTypes();
        StreamTypes.register();
        if (runId != null) {
            // A bounded run ends when its edges converged; waiting for one more checkpoint after
            // the sources finished would only delay the exit (no sink here is transactional).
            Configuration c = new Configuration();
            c.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
            env.configure(c);
        }
        DataStream<ControlEvent> controlEvents =
                env.addSource(control, "drms control plane", TypeInformation.of(ControlEvent.class))
                        .uid(UID_CONTROL)
                        .setParallelism(1);

        DataStream<EdgeCommand> commands =
                controlEvents
                        .filter(e -> e.kind() != ControlEvent.Kind.GRAPH)
                        .name("edge changes")
                        .uid(UID_EDGE_COMMANDS + "-filter")
                        .setParallelism(1)
                        .map(ReplicationPipeline::toCommand)
                        .returns(TypeInformation.of(EdgeCommand.class))
                        .name("edge commands")
                        .uid(UID_EDGE_COMMANDS)
                        .setParallelism(1);

        if (events != null) {
            BroadcastStream<ControlEvent> graph =
                    controlEvents
                            .filter(e -> e.kind() == ControlEvent.Kind.GRAPH)
                            .name("graph changes")
                            .uid("drms-graph-changes")
                            .setParallelism(1)
                            .broadcast(DatasetEventRouter.GRAPH);
            DataStream<EdgeCommand> triggers =
                    env.addSource(events, "drms.events", Types.STRING)
                            .uid(UID_EVENTS)
                            .setParallelism(1)
                            .connect(graph)
                            .process(
                                    new DatasetEventRouter(), TypeInformation.of(EdgeCommand.class))
                            .name("route events to edges")
                            .uid(UID_ROUTER);
            commands = commands.union(triggers);
        }

        DataStream<TaskRequest> requests =
                commands.keyBy(EdgeCommand::edgeId, Types.STRING)
                        .process(new EdgeScheduler(runId), TypeInformation.of(TaskRequest.class))
                        .name("schedule edges")
                        .uid(UID_SCHEDULER);

        long timeoutMs = settings.asyncTimeout().toMillis() + 120_000;
        SingleOutputStreamOperator<TaskOutcome> outcomes =
                AsyncDataStream.unorderedWait(
                                requests.keyBy(TaskRequest::edgeId, Types.STRING),
                                new EdgeTaskFunction(
                                        runners,
                                        settings.control(),
                                        settings.retry(),
                                        settings.capacity()),
                                timeoutMs,
                                TimeUnit.MILLISECONDS,
                                settings.capacity())
                        .returns(TypeInformation.of(TaskOutcome.class))
                        .name("run tasks")
                        .uid(UID_EXECUTOR);

        if (eventSink != null) {
            outcomes.filter(TaskOutcome::loadedRows)
                    .name("loaded rows")
                    .uid("drms-loaded-rows")
                    .map(
                            o ->
                                    DrmsEvent.loaded(
                                                    o.dataset(), o.edgeId(), o.rows(), o.cursorTo())
                                            .toJson())
                    .returns(Types.STRING)
                    .name("events")
                    .uid(UID_EVENT_JSON)
                    .addSink(eventSink)
                    .name("publish to drms.events")
                    .uid(UID_EVENT_SINK);
        }
        return outcomes;
    }

    static EdgeCommand toCommand(ControlEvent e) {
        switch (e.kind()) {
            case EDGE:
                return new EdgeCommand(EdgeCommand.Kind.CONFIG, e.edgeId(), e.edge(), "");
            case CONVERGE:
                return new EdgeCommand(EdgeCommand.Kind.CONVERGE, e.edgeId(), e.edge(), "");
            case REMOVE:
                return new EdgeCommand(EdgeCommand.Kind.REMOVE, e.edgeId(), null, "");
            default:
                throw new IllegalArgumentException("not an edge event: " + e.kind());
        }
    }
}
