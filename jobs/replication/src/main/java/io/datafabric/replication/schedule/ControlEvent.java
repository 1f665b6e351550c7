package io.datafabric.replication.schedule;

import io.datafabric.drms.graph.EdgeDefinition;

/**
 * What the control-plane source says: the whole graph changed ({@link Kind#GRAPH}, with the graph
 * as JSON for the event router's broadcast state), one edge is new or changed ({@link Kind#EDGE},
 * with its definition), one edge is gone ({@link Kind#REMOVE}), or (bounded runs) one edge must now
 * run until it converged ({@link Kind#CONVERGE}, with its definition).
 */
public record ControlEvent(
        Kind kind, String edgeId, EdgeDefinition edge, String graphJson, long version) {

    /** What changed. */
    public enum Kind {
        GRAPH,
        EDGE,
        REMOVE,
        CONVERGE
    }

    public static ControlEvent graph(String graphJson, long version) {
        return new ControlEvent(Kind.GRAPH, "", null, graphJson, version);
    }

    public static ControlEvent edge(EdgeDefinition edge, long version) {
        return new ControlEvent(Kind.EDGE, edge.edge(), edge, null, version);
    }

    public static ControlEvent removed(String edgeId, long version) {
        return new ControlEvent(Kind.REMOVE, edgeId, null, null, version);
    }

    public static ControlEvent converge(EdgeDefinition edge, long version) {
        return new ControlEvent(Kind.CONVERGE, edge.edge(), edge, null, version);
    }
}
