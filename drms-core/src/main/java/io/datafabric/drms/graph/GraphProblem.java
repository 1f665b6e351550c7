package io.datafabric.drms.graph;

/**
 * One thing wrong with a graph, at a YAML path such as {@code datasets.big.filter.all[1].column}.
 */
public record GraphProblem(String path, String message) implements Comparable<GraphProblem> {
    @Override
    public String toString() {
        return path + ": " + message;
    }

    @Override
    public int compareTo(GraphProblem o) {
        int c = path.compareTo(o.path);
        return c != 0 ? c : message.compareTo(o.message);
    }
}
