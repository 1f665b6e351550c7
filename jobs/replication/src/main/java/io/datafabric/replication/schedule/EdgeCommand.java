package io.datafabric.replication.schedule;

import io.datafabric.drms.graph.EdgeDefinition;

/**
 * An instruction to the scheduler of one edge: its configuration ({@link Kind#CONFIG}, with the
 * definition), removal, a run to convergence (bounded runs, with the definition), or a prompt run
 * because its upstream changed ({@link Kind#TRIGGER}, with the reason in {@code detail}).
 */
public record EdgeCommand(Kind kind, String edgeId, EdgeDefinition edge, String detail) {

    /** What the scheduler is told. */
    public enum Kind {
        CONFIG,
        REMOVE,
        CONVERGE,
        TRIGGER
    }
}
