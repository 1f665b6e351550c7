package io.datafabric.replication.schedule;

/**
 * What the control-plane source says: the whole graph changed ({@link #GRAPH}, payload = graph
 * JSON), one edge is new or changed ({@link #EDGE}, payload = its definition JSON), one edge is
 * gone ({@link #REMOVE}), or (bounded runs) one edge must now run until it converged ({@link
 * #CONVERGE}).
 */
public record ControlEvent(String kind, String edgeId, String payload, long version) {
    public static final String GRAPH = "graph";
    public static final String EDGE = "edge";
    public static final String REMOVE = "remove";
    public static final String CONVERGE = "converge";
}
