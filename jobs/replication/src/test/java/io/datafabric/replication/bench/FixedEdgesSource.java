package io.datafabric.replication.bench;

import io.datafabric.replication.schedule.ControlEvent;
import java.util.List;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/** Emits a fixed set of edge definitions once, then stays open until cancelled. */
final class FixedEdgesSource implements SourceFunction<ControlEvent> {
    private static final long serialVersionUID = 1L;
    private final List<String[]> edges;
    private volatile boolean running = true;

    /** Each element is {edge id, definition JSON}. */
    FixedEdgesSource(List<String[]> edges) {
        this.edges = edges;
    }

    @Override
    public void run(SourceContext<ControlEvent> ctx) throws Exception {
        synchronized (ctx.getCheckpointLock()) {
            for (String[] e : edges) {
                ctx.collect(
                        ControlEvent.edge(
                                io.datafabric.drms.graph.EdgeDefinition.fromJson(e[1]), 1));
            }
        }
        while (running) {
            Thread.sleep(100);
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
