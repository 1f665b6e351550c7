package io.datafabric.drms.control;

import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.GraphProblem;
import java.util.List;

/**
 * The graph as the control plane holds it right now: the latest applied version number, the graph
 * with the consumers' current statuses, and any problem reading it back.
 */
public record ControlSnapshot(long version, DatasetGraph graph, List<GraphProblem> problems) {
    public ControlSnapshot {
        problems = List.copyOf(problems);
    }
}
