package io.datafabric.drms.graph;

import java.util.List;

/** A graph that cannot be used, with every problem found. */
public final class GraphValidationException extends RuntimeException {
    private final List<GraphProblem> problems;

    public GraphValidationException(List<GraphProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<GraphProblem> problems() {
        return problems;
    }

    private static String format(List<GraphProblem> problems) {
        StringBuilder sb =
                new StringBuilder("invalid graph (")
                        .append(problems.size())
                        .append(problems.size() == 1 ? " problem)" : " problems)");
        for (GraphProblem p : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(p);
        }
        return sb.toString();
    }
}
