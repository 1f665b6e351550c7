package io.datafabric.replication.schedule;

/**
 * An instruction to the scheduler of one edge: its configuration ({@code config}, with the
 * definition JSON), removal, a run to convergence (bounded runs), or a prompt run because its
 * upstream changed ({@code trigger}, with the reason).
 */
public record EdgeCommand(String kind, String edgeId, String definitionJson, String detail) {
    public static final String CONFIG = "config";
    public static final String REMOVE = "remove";
    public static final String CONVERGE = "converge";
    public static final String TRIGGER = "trigger";
}
