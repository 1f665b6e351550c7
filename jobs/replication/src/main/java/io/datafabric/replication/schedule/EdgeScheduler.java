package io.datafabric.replication.schedule;

import io.datafabric.drms.graph.ConsumerStatus;
import io.datafabric.drms.graph.EdgeDefinition;
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

    private final String runId;

    private transient ValueState<String> definition;
    private transient ValueState<String> fingerprint;
    private transient ValueState<String> status;
    private transient ValueState<Long> timer;

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
    }

    @Override
    public void processElement(EdgeCommand cmd, Context ctx, Collector<TaskRequest> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        switch (cmd.kind()) {
            case EdgeCommand.CONFIG:
                configure(cmd, ctx, out, now);
                break;
            case EdgeCommand.CONVERGE:
                definition.update(cmd.definitionJson());
                status.update(ConsumerStatus.APPROVED.sqlName());
                out.collect(
                        request(
                                cmd.edgeId(),
                                cmd.definitionJson(),
                                TaskRequest.CONVERGE,
                                "bounded run",
                                now));
                break;
            case EdgeCommand.TRIGGER:
                if (approved() && definition.value() != null) {
                    out.collect(
                            request(
                                    cmd.edgeId(),
                                    definition.value(),
                                    TaskRequest.INCREMENTAL,
                                    cmd.detail(),
                                    now));
                }
                break;
            case EdgeCommand.REMOVE:
                cancelTimer(ctx);
                definition.clear();
                fingerprint.clear();
                status.clear();
                LOG.info("edge {} removed from the graph", cmd.edgeId());
                out.collect(request(cmd.edgeId(), null, TaskRequest.REMOVE, "removed", now));
                break;
            default:
                throw new IllegalArgumentException("unknown edge command " + cmd.kind());
        }
    }

    private void configure(EdgeCommand cmd, Context ctx, Collector<TaskRequest> out, long now)
            throws Exception {
        EdgeDefinition def = EdgeDefinition.fromJson(cmd.definitionJson());
        String newFingerprint = def.rulesFingerprint();
        boolean wasApproved = approved();
        String oldFingerprint = fingerprint.value();
        String oldDefinition = definition.value();
        definition.update(cmd.definitionJson());
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
            out.collect(
                    request(
                            cmd.edgeId(),
                            cmd.definitionJson(),
                            TaskRequest.SNAPSHOT,
                            "rules",
                            now));
        } else if (!wasApproved) {
            LOG.info("edge {} resumed", def.edge());
            out.collect(
                    request(
                            cmd.edgeId(),
                            cmd.definitionJson(),
                            TaskRequest.INCREMENTAL,
                            "resumed",
                            now));
        }
        boolean scheduleChanged =
                oldDefinition == null
                        || EdgeDefinition.fromJson(oldDefinition).schedule().toMillis()
                                != def.schedule().toMillis();
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
        String def = definition.value();
        if (!approved() || def == null) {
            return;
        }
        out.collect(
                request(ctx.getCurrentKey(), def, TaskRequest.INCREMENTAL, "schedule", timestamp));
        long next = timestamp + EdgeDefinition.fromJson(def).schedule().toMillis();
        long now = ctx.timerService().currentProcessingTime();
        if (next <= now) {
            next = now + EdgeDefinition.fromJson(def).schedule().toMillis();
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

    private TaskRequest request(String edge, String def, String kind, String reason, long now) {
        return new TaskRequest(edge, def, kind, reason, now, runId == null ? "" : runId);
    }
}
