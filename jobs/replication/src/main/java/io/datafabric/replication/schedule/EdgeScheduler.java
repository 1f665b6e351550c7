package io.datafabric.replication.schedule;

import io.datafabric.drms.graph.ConsumerStatus;
import io.datafabric.drms.graph.EdgeDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when each edge runs; keyed by edge id, so every edge has its own state and timer.
 *
 * <ul>
 *   <li>A new approved edge, or one whose rules changed, runs a snapshot at once.
 *   <li>An approved edge runs every {@code schedule} (a processing-time timer) and at once when a
 *       trigger says its upstream loaded rows.
 *   <li>A paused, pending or rejected edge has no timer and ignores triggers; resuming runs an
 *       incremental task at once.
 *   <li>A removed edge forgets everything.
 *   <li>In a bounded run, each edge gets one {@code converge} task and no timer.
 * </ul>
 */
public final class EdgeScheduler extends KeyedProcessFunction<String, EdgeCommand, TaskRequest> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EdgeScheduler.class);

    /** Parsed definitions kept per subtask (edges it schedules, recently used first). */
    static final int PARSED_CACHE = 10_000;

    private final String runId;

    private transient ValueState<String> definition;
    private transient ValueState<String> fingerprint;
    private transient ValueState<String> status;
    private transient ValueState<Long> timer;
    private transient Map<String, EdgeDefinition> parsed;

    /** {@code runId} tags the tasks of a bounded run (null when unbounded). */
    public EdgeScheduler(String runId) {
        this.runId = runId;
    }

    @Override
    public void open(Configuration parameters) {
        definition =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("definition", Types.STRING));
        fingerprint =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("fingerprint", Types.STRING));
        status = getRuntimeContext().getState(new ValueStateDescriptor<>("status", Types.STRING));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        parsed =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, EdgeDefinition> e) {
                        return size() > PARSED_CACHE;
                    }
                };
    }

    @Override
    public void processElement(EdgeCommand cmd, Context ctx, Collector<TaskRequest> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        switch (cmd.kind()) {
            case CONFIG:
                configure(cmd, ctx, out, now);
                break;
            case CONVERGE:
                remember(cmd.edge());
                status.update(ConsumerStatus.APPROVED.sqlName());
                out.collect(
                        request(
                                cmd.edgeId(),
                                cmd.edge(),
                                TaskRequest.Kind.CONVERGE,
                                "bounded run",
                                now));
                break;
            case TRIGGER:
                EdgeDefinition current = current();
                if (approved() && current != null) {
                    out.collect(
                            request(
                                    cmd.edgeId(),
                                    current,
                                    TaskRequest.Kind.INCREMENTAL,
                                    cmd.detail(),
                                    now));
                }
                break;
            case REMOVE:
                cancelTimer(ctx);
                definition.clear();
                fingerprint.clear();
                status.clear();
                LOG.info("edge {} removed from the graph", cmd.edgeId());
                out.collect(request(cmd.edgeId(), null, TaskRequest.Kind.REMOVE, "removed", now));
                break;
            default:
                throw new IllegalArgumentException("unknown edge command " + cmd.kind());
        }
    }

    private void configure(EdgeCommand cmd, Context ctx, Collector<TaskRequest> out, long now)
            throws Exception {
        EdgeDefinition def = cmd.edge();
        String newFingerprint = def.rulesFingerprint();
        boolean wasApproved = approved();
        String oldFingerprint = fingerprint.value();
        EdgeDefinition oldDefinition = current();
        remember(def);
        status.update(def.status().sqlName());
        if (def.status() != ConsumerStatus.APPROVED) {
            cancelTimer(ctx);
            if (wasApproved) {
                LOG.info("edge {} is now {}: stopped", def.edge(), def.status().sqlName());
            }
            return;
        }
        fingerprint.update(newFingerprint);
        if (oldFingerprint == null || !oldFingerprint.equals(newFingerprint)) {
            LOG.info(
                    "edge {} {}: snapshot",
                    def.edge(),
                    oldFingerprint == null ? "started" : "rules changed");
            out.collect(request(cmd.edgeId(), def, TaskRequest.Kind.SNAPSHOT, "rules", now));
        } else if (!wasApproved) {
            LOG.info("edge {} resumed", def.edge());
            out.collect(request(cmd.edgeId(), def, TaskRequest.Kind.INCREMENTAL, "resumed", now));
        }
        boolean scheduleChanged =
                oldDefinition == null
                        || oldDefinition.schedule().toMillis() != def.schedule().toMillis();
        if (timer.value() == null || scheduleChanged) {
            cancelTimer(ctx);
            long at = now + def.schedule().toMillis();
            ctx.timerService().registerProcessingTimeTimer(at);
            timer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TaskRequest> out)
            throws Exception {
        Long expected = timer.value();
        if (expected == null || expected != timestamp) {
            return; // a timer replaced by a schedule change
        }
        timer.clear();
        EdgeDefinition def = current();
        if (!approved() || def == null) {
            return;
        }
        out.collect(
                request(
                        ctx.getCurrentKey(),
                        def,
                        TaskRequest.Kind.INCREMENTAL,
                        "schedule",
                        timestamp));
        long next = timestamp + def.schedule().toMillis();
        long now = ctx.timerService().currentProcessingTime();
        if (next <= now) {
            next = now + def.schedule().toMillis();
        }
        ctx.timerService().registerProcessingTimeTimer(next);
        timer.update(next);
    }

    private boolean approved() throws Exception {
        return ConsumerStatus.APPROVED.sqlName().equals(status.value());
    }

    private void cancelTimer(Context ctx) throws Exception {
        Long t = timer.value();
        if (t != null) {
            ctx.timerService().deleteProcessingTimeTimer(t);
            timer.clear();
        }
    }

    private TaskRequest request(
            String edge, EdgeDefinition def, TaskRequest.Kind kind, String reason, long now) {
        return new TaskRequest(edge, def, kind, reason, now, runId == null ? "" : runId);
    }

    /**
     * Keeps the definition in state as its normalized JSON (a stable format for savepoints) and,
     * parsed, in a small per-subtask cache, so a timer or a trigger does not parse it again.
     */
    private void remember(EdgeDefinition def) throws Exception {
        String json = def.toJson();
        definition.update(json);
        parsed.put(json, def);
    }

    /** The current definition of the keyed edge, or null. */
    private EdgeDefinition current() throws Exception {
        String json = definition.value();
        if (json == null) {
            return null;
        }
        // Parsed only after a restore from a checkpoint, or once evicted.
        return parsed.computeIfAbsent(json, EdgeDefinition::fromJson);
    }
}
