package io.datafabric.drms.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The replication graph: datasets (tables and slices) are nodes, approved consumers are the edges
 * that keep a target table in step with a node. A consumer's target table feeds every dataset
 * declared on that same table, which is how graphs span several hops.
 *
 * <p>The structure is immutable; {@link #structuralProblems()} lists broken references, cycles and
 * tables written by two consumers, and the order and downstream queries assume none.
 */
public final class DatasetGraph {
    /** A node of the dependency structure: a dataset or a consumer. */
    public record NodeRef(Kind kind, String name) {
        public enum Kind {
            DATASET,
            CONSUMER
        }

        public static NodeRef dataset(String name) {
            return new NodeRef(Kind.DATASET, name);
        }

        public static NodeRef consumer(String name) {
            return new NodeRef(Kind.CONSUMER, name);
        }

        @Override
        public String toString() {
            return (kind == Kind.DATASET ? "dataset " : "consumer ") + name;
        }
    }

    private final Map<String, ConnectionSpec> connections;
    private final Map<String, Dataset> datasets;
    private final Map<String, Consumer> consumers;
    private final Map<NodeRef, List<NodeRef>> successors = new LinkedHashMap<>();
    private final Map<NodeRef, List<NodeRef>> predecessors = new LinkedHashMap<>();

    public DatasetGraph(
            Map<String, ConnectionSpec> connections,
            Map<String, Dataset> datasets,
            Map<String, Consumer> consumers) {
        this.connections = Map.copyOf(connections);
        this.datasets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
        this.consumers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(consumers));
        this.connectionsInOrder = List.copyOf(connections.keySet());
        buildLinks();
    }

    private final List<String> connectionsInOrder;

    public static DatasetGraph empty() {
        return new DatasetGraph(Map.of(), Map.of(), Map.of());
    }

    /** Connections in file order. */
    public Map<String, ConnectionSpec> connections() {
        Map<String, ConnectionSpec> out = new LinkedHashMap<>();
        connectionsInOrder.forEach(n -> out.put(n, connections.get(n)));
        return out;
    }

    public Map<String, Dataset> datasets() {
        return datasets;
    }

    public Map<String, Consumer> consumers() {
        return consumers;
    }

    public Optional<Dataset> dataset(String name) {
        return Optional.ofNullable(datasets.get(name));
    }

    public Optional<Consumer> consumer(String name) {
        return Optional.ofNullable(consumers.get(name));
    }

    /** A copy with one consumer's status replaced (the control plane owns statuses). */
    public DatasetGraph withStatuses(Map<String, ConsumerStatus> statuses) {
        Map<String, Consumer> updated = new LinkedHashMap<>();
        consumers.forEach(
                (n, c) ->
                        updated.put(
                                n, statuses.containsKey(n) ? c.withStatus(statuses.get(n)) : c));
        return new DatasetGraph(connections(), datasets, updated);
    }

    private void buildLinks() {
        datasets.keySet().forEach(n -> node(NodeRef.dataset(n)));
        consumers.keySet().forEach(n -> node(NodeRef.consumer(n)));
        for (Dataset d : datasets.values()) {
            if (d instanceof SliceDataset s && datasets.containsKey(s.parent())) {
                link(NodeRef.dataset(s.parent()), NodeRef.dataset(s.name()));
            }
        }
        for (Consumer c : consumers.values()) {
            NodeRef edge = NodeRef.consumer(c.name());
            if (datasets.containsKey(c.dataset())) {
                link(NodeRef.dataset(c.dataset()), edge);
            }
            for (TableDataset fed : datasetsOnTable(c.target())) {
                link(edge, NodeRef.dataset(fed.name()));
            }
        }
    }

    private void node(NodeRef n) {
        successors.computeIfAbsent(n, k -> new ArrayList<>());
        predecessors.computeIfAbsent(n, k -> new ArrayList<>());
    }

    private void link(NodeRef from, NodeRef to) {
        successors.get(from).add(to);
        predecessors.get(to).add(from);
    }

    /** The table datasets declared on a consumer's target table (same database, same table). */
    public List<TableDataset> datasetsOnTable(ConsumerTarget target) {
        ConnectionSpec tc = connections.get(target.connection());
        if (tc == null) {
            return List.of();
        }
        List<TableDataset> out = new ArrayList<>();
        for (Dataset d : datasets.values()) {
            if (d instanceof TableDataset t && sameTable(tc, target.table(), t)) {
                out.add(t);
            }
        }
        return out;
    }

    private boolean sameTable(ConnectionSpec tc, String table, TableDataset t) {
        ConnectionSpec dc = connections.get(t.connection());
        return dc != null
                && dc.canonicalUrl().equals(tc.canonicalUrl())
                && dc.canonicalTable(t.table()).equals(tc.canonicalTable(table));
    }

    /**
     * Broken references, cycles and tables written by two consumers, each at its YAML path. Column
     * and type checks need a database and are done by {@link GraphValidator}.
     */
    public List<GraphProblem> structuralProblems() {
        List<GraphProblem> problems = new ArrayList<>();
        for (Dataset d : datasets.values()) {
            if (d instanceof TableDataset t) {
                if (!connections.containsKey(t.connection())) {
                    problems.add(
                            new GraphProblem(
                                    d.path() + ".connection",
                                    "unknown connection "
                                            + t.connection()
                                            + knownNames(connections.keySet())));
                }
            } else if (d instanceof SliceDataset s) {
                if (!datasets.containsKey(s.parent())) {
                    problems.add(
                            new GraphProblem(
                                    d.path() + ".parent",
                                    "slice of unknown parent dataset "
                                            + s.parent()
                                            + knownNames(datasets.keySet())));
                }
            }
        }
        Map<String, String> writers = new HashMap<>();
        for (Consumer c : consumers.values()) {
            if (!datasets.containsKey(c.dataset())) {
                problems.add(
                        new GraphProblem(
                                c.path() + ".dataset",
                                "unknown dataset " + c.dataset() + knownNames(datasets.keySet())));
            }
            ConnectionSpec tc = connections.get(c.target().connection());
            if (tc == null) {
                problems.add(
                        new GraphProblem(
                                c.path() + ".target.connection",
                                "unknown connection "
                                        + c.target().connection()
                                        + knownNames(connections.keySet())));
                continue;
            }
            String key = tc.canonicalUrl() + "|" + tc.canonicalTable(c.target().table());
            String other = writers.putIfAbsent(key, c.name());
            if (other != null) {
                problems.add(
                        new GraphProblem(
                                c.path() + ".target",
                                "consumers "
                                        + other
                                        + " and "
                                        + c.name()
                                        + " both write table "
                                        + c.target().table()
                                        + " in "
                                        + c.target().connection()
                                        + "; a table has one writer"));
            }
        }
        problems.addAll(cycleProblems());
        return problems;
    }

    private static String knownNames(Collection<String> names) {
        if (names.isEmpty()) {
            return " (none are declared)";
        }
        return " (known: " + String.join(", ", names.stream().sorted().toList()) + ")";
    }

    /** One problem per distinct cycle, naming every node on it. */
    List<GraphProblem> cycleProblems() {
        List<GraphProblem> problems = new ArrayList<>();
        Set<Set<NodeRef>> seen = new HashSet<>();
        Map<NodeRef, Integer> color = new HashMap<>();
        for (NodeRef start : successors.keySet()) {
            if (color.getOrDefault(start, 0) == 0) {
                findCycles(start, color, new ArrayDeque<>(), seen, problems);
            }
        }
        return problems;
    }

    private void findCycles(
            NodeRef node,
            Map<NodeRef, Integer> color,
            Deque<NodeRef> stack,
            Set<Set<NodeRef>> seen,
            List<GraphProblem> problems) {
        color.put(node, 1);
        stack.addLast(node);
        for (NodeRef next : successors.get(node)) {
            int c = color.getOrDefault(next, 0);
            if (c == 0) {
                findCycles(next, color, stack, seen, problems);
            } else if (c == 1) {
                List<NodeRef> cycle = new ArrayList<>();
                boolean on = false;
                for (NodeRef n : stack) {
                    on = on || n.equals(next);
                    if (on) {
                        cycle.add(n);
                    }
                }
                if (seen.add(new HashSet<>(cycle))) {
                    problems.add(cycleProblem(cycle));
                }
            }
        }
        stack.removeLast();
        color.put(node, 2);
    }

    private GraphProblem cycleProblem(List<NodeRef> cycle) {
        StringBuilder sb = new StringBuilder("cycle: ");
        for (NodeRef n : cycle) {
            sb.append(n).append(" -> ");
        }
        sb.append(cycle.get(0));
        sb.append(
                "; a consumer may not feed, directly or through other consumers, the data it reads");
        // Point at the consumer that closes the loop: its target is what makes the cycle.
        String path =
                cycle.get(0).kind() == NodeRef.Kind.DATASET
                        ? "datasets." + cycle.get(0).name()
                        : "consumers." + cycle.get(0).name();
        for (int i = cycle.size() - 1; i >= 0; i--) {
            if (cycle.get(i).kind() == NodeRef.Kind.CONSUMER) {
                path = "consumers." + cycle.get(i).name() + ".target";
                break;
            }
        }
        return new GraphProblem(path, sb.toString());
    }

    /**
     * Every dataset and consumer so that each comes after everything it depends on; within that,
     * file order. Requires an acyclic graph.
     */
    public List<NodeRef> topologicalOrder() {
        Map<NodeRef, Integer> indegree = new LinkedHashMap<>();
        successors.keySet().forEach(n -> indegree.put(n, predecessors.get(n).size()));
        List<NodeRef> order = new ArrayList<>();
        Deque<NodeRef> ready = new ArrayDeque<>();
        indegree.forEach(
                (n, d) -> {
                    if (d == 0) {
                        ready.add(n);
                    }
                });
        while (!ready.isEmpty()) {
            NodeRef n = ready.removeFirst();
            order.add(n);
            for (NodeRef next : successors.get(n)) {
                if (indegree.merge(next, -1, Integer::sum) == 0) {
                    ready.addLast(next);
                }
            }
        }
        if (order.size() != successors.size()) {
            throw new GraphValidationException(cycleProblems());
        }
        return order;
    }

    /** Consumer names in dependency order. */
    public List<String> consumersInOrder() {
        return topologicalOrder().stream()
                .filter(n -> n.kind() == NodeRef.Kind.CONSUMER)
                .map(NodeRef::name)
                .toList();
    }

    /**
     * The consumers to run, in dependency order, when the given datasets changed: their own
     * consumers, those of their slices, and so on through every target further down.
     */
    public List<String> downstreamConsumers(Collection<String> changedDatasets) {
        Set<NodeRef> start = new LinkedHashSet<>();
        for (String d : changedDatasets) {
            if (datasets.containsKey(d)) {
                start.add(NodeRef.dataset(d));
            }
        }
        return consumersReachableFrom(start, false);
    }

    /**
     * The consumers to run after {@code consumer} loaded rows into its target: all further down.
     */
    public List<String> downstreamOfConsumer(String consumer) {
        if (!consumers.containsKey(consumer)) {
            return List.of();
        }
        return consumersReachableFrom(Set.of(NodeRef.consumer(consumer)), true);
    }

    /**
     * The consumers that read what {@code consumer} writes without another consumer in between:
     * those to run right after it loaded rows (they trigger the next hop in turn).
     */
    public List<String> nextConsumers(String consumer) {
        if (!consumers.containsKey(consumer)) {
            return List.of();
        }
        return firstConsumersFrom(successors.get(NodeRef.consumer(consumer)));
    }

    /**
     * The consumers that read {@code dataset} or a slice of it, without another consumer in
     * between: those to run when an outside system announces that the dataset changed.
     */
    public List<String> consumersOf(String dataset) {
        if (!datasets.containsKey(dataset)) {
            return List.of();
        }
        return firstConsumersFrom(List.of(NodeRef.dataset(dataset)));
    }

    private List<String> firstConsumersFrom(Collection<NodeRef> start) {
        Set<NodeRef> found = new HashSet<>();
        Set<NodeRef> seen = new HashSet<>();
        Deque<NodeRef> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            NodeRef n = todo.removeFirst();
            if (!seen.add(n)) {
                continue;
            }
            if (n.kind() == NodeRef.Kind.CONSUMER) {
                found.add(n);
            } else {
                todo.addAll(successors.get(n));
            }
        }
        return inOrder(found);
    }

    /** The consumers whose loads {@code consumer} reads, directly or further up. */
    public List<String> upstreamConsumers(String consumer) {
        if (!consumers.containsKey(consumer)) {
            return List.of();
        }
        Set<NodeRef> reached = new HashSet<>();
        Deque<NodeRef> todo = new ArrayDeque<>(predecessors.get(NodeRef.consumer(consumer)));
        while (!todo.isEmpty()) {
            NodeRef n = todo.removeFirst();
            if (reached.add(n)) {
                todo.addAll(predecessors.get(n));
            }
        }
        return inOrder(reached);
    }

    private List<String> consumersReachableFrom(Set<NodeRef> start, boolean excludeStart) {
        Set<NodeRef> reached = new HashSet<>();
        Deque<NodeRef> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            NodeRef n = todo.removeFirst();
            if (reached.add(n)) {
                todo.addAll(successors.get(n));
            }
        }
        if (excludeStart) {
            reached.removeAll(start);
        }
        return inOrder(reached);
    }

    private List<String> inOrder(Set<NodeRef> nodes) {
        List<String> out = new ArrayList<>();
        for (NodeRef n : topologicalOrder()) {
            if (n.kind() == NodeRef.Kind.CONSUMER && nodes.contains(n)) {
                out.add(n.name());
            }
        }
        return out;
    }

    /** The chain from the root table dataset down to {@code dataset}, root first. */
    public List<Dataset> lineage(String dataset) {
        List<Dataset> chain = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        Dataset d = datasets.get(dataset);
        while (d != null && visited.add(d.name())) {
            chain.add(0, d);
            d = d instanceof SliceDataset s ? datasets.get(s.parent()) : null;
        }
        return chain;
    }

    /**
     * What a consumer replicates, with every slice along the way folded in: the root table, the
     * effective projection and filter, and the target. Requires a structurally valid graph.
     */
    public EdgeDefinition resolve(String consumerName) {
        Consumer c = consumers.get(consumerName);
        Objects.requireNonNull(c, () -> "unknown consumer " + consumerName);
        List<Dataset> chain = lineage(c.dataset());
        if (chain.isEmpty() || !(chain.get(0) instanceof TableDataset root)) {
            throw new GraphValidationException(
                    List.of(new GraphProblem(c.path() + ".dataset", "does not lead to a table")));
        }
        List<String> columns = List.of();
        Condition filter = null;
        for (Dataset d : chain) {
            if (d instanceof SliceDataset s) {
                if (!s.columns().isEmpty()) {
                    columns = s.columns();
                }
                filter = Condition.and(filter, s.filter(), s.path() + ".filter");
            }
        }
        if (!c.columns().isEmpty()) {
            columns = c.columns();
        }
        filter = Condition.and(filter, c.filter(), c.path() + ".filter");
        boolean staged =
                consumers.values().stream()
                        .anyMatch(o -> o != c && datasetsOnTable(o.target()).contains(root));
        return new EdgeDefinition(
                c.name(),
                c.dataset(),
                connections.get(root.connection()),
                root.table(),
                root.cursor(),
                root.softDelete(),
                columns,
                filter,
                connections.get(c.target().connection()),
                c.target().table(),
                c.mode(),
                c.schedule(),
                c.status(),
                staged);
    }
}
