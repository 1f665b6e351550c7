package io.datafabric.replication.events;

import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.drms.graph.ConsumerStatus;
import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.GraphParser;
import io.datafabric.replication.schedule.ControlEvent;
import io.datafabric.replication.schedule.EdgeCommand;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events into prompt runs of the edges right downstream: an event from edge E triggers the
 * approved consumers that read E's target; an event without an edge (an outside system announcing a
 * changed dataset) triggers the consumers of that dataset and its slices. The graph comes in as
 * broadcast state. Events that are not valid are counted ({@code rejectedEvents}) and logged.
 */
public final class DatasetEventRouter
        extends BroadcastProcessFunction<String, ControlEvent, EdgeCommand> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DatasetEventRouter.class);

    public static final MapStateDescriptor<String, String> GRAPH =
            new MapStateDescriptor<>("graph", Types.STRING, Types.STRING);
    private static final String KEY = "graph";

    private transient String parsedJson;
    private transient DatasetGraph parsed;
    private transient Counter rejected;
    private transient Counter triggers;

    @Override
    public void open(Configuration parameters) {
        PartMetrics m = PartMetrics.of(getRuntimeContext().getMetricGroup(), "replication");
        rejected = m.counter("rejectedEvents");
        triggers = m.counter("eventTriggers");
    }

    @Override
    public void processBroadcastElement(ControlEvent event, Context ctx, Collector<EdgeCommand> out)
            throws Exception {
        if (event.kind() == ControlEvent.Kind.GRAPH) {
            BroadcastState<String, String> state = ctx.getBroadcastState(GRAPH);
            state.put(KEY, event.graphJson());
        }
    }

    @Override
    public void processElement(String message, ReadOnlyContext ctx, Collector<EdgeCommand> out)
            throws Exception {
        Optional<DrmsEvent> event = DrmsEvent.parse(message);
        if (event.isEmpty()) {
            rejected.inc();
            LOG.warn("rejected event (not a schema_version 1 drms event): {}", abbreviate(message));
            return;
        }
        ReadOnlyBroadcastState<String, String> state = ctx.getBroadcastState(GRAPH);
        DatasetGraph graph = graph(state.get(KEY));
        if (graph == null) {
            LOG.info(
                    "event for {} before the graph was read; its edges run on schedule",
                    event.get().dataset());
            return;
        }
        DrmsEvent e = event.get();
        List<String> next =
                e.edge() != null && graph.consumers().containsKey(e.edge())
                        ? graph.nextConsumers(e.edge())
                        : graph.consumersOf(e.dataset());
        for (String edge : next) {
            if (graph.consumers().get(edge).status() == ConsumerStatus.APPROVED) {
                triggers.inc();
                out.collect(
                        new EdgeCommand(
                                EdgeCommand.Kind.TRIGGER,
                                edge,
                                null,
                                e.edge() == null
                                        ? "dataset " + e.dataset() + " changed"
                                        : "upstream "
                                                + e.edge()
                                                + " loaded "
                                                + e.rows()
                                                + " rows"));
            }
        }
    }

    private DatasetGraph graph(String json) {
        if (json == null) {
            return null;
        }
        if (!json.equals(parsedJson)) {
            parsed = GraphParser.parse(json).graph();
            parsedJson = json;
        }
        return parsed;
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
