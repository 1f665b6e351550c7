package io.datafabric.drms.graph;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a graph file completely and lists every problem, each at its YAML path: malformed entries
 * (from {@link GraphParser}), broken references, cycles and doubly written tables (from {@link
 * DatasetGraph#structuralProblems()}), and, given a {@link SchemaLookup}, unknown columns and
 * incompatible types against the real tables.
 *
 * <p>A table dataset that some consumer writes need not exist yet: its columns are those the
 * consumer will create it with.
 */
public final class GraphValidator {
    private final DatasetGraph graph;
    private final SchemaLookup lookup;
    private final List<GraphProblem> problems = new ArrayList<>();
    private final Map<String, Optional<TableShape>> datasetShapes = new HashMap<>();
    private final Map<String, Optional<TableShape>> consumerShapes = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final Set<String> unreachableConnections = new HashSet<>();

    private GraphValidator(DatasetGraph graph, SchemaLookup lookup) {
        this.graph = graph;
        this.lookup = lookup;
    }

    /** Every problem of a graph file; {@code lookup} may be null to skip the database checks. */
    public static List<GraphProblem> validate(String text, SchemaLookup lookup) {
        return validate(GraphParser.parse(text), lookup);
    }

    public static List<GraphProblem> validate(GraphParser.Result parsed, SchemaLookup lookup) {
        List<GraphProblem> all = new ArrayList<>(parsed.problems());
        all.addAll(validate(parsed.graph(), lookup));
        return sortedDistinct(all);
    }

    /** Problems of an already parsed graph: structure, then (with a lookup) columns and types. */
    public static List<GraphProblem> validate(DatasetGraph graph, SchemaLookup lookup) {
        GraphValidator v = new GraphValidator(graph, lookup);
        v.problems.addAll(graph.structuralProblems());
        v.checkModes();
        if (lookup != null) {
            v.checkSchemas();
        }
        return sortedDistinct(v.problems);
    }

    /** Parses and validates, returning the graph or throwing with every problem. */
    public static DatasetGraph parseValid(String text, SchemaLookup lookup) {
        GraphParser.Result parsed = GraphParser.parse(text);
        List<GraphProblem> problems = validate(parsed, lookup);
        if (!problems.isEmpty()) {
            throw new GraphValidationException(problems);
        }
        return parsed.graph();
    }

    private static List<GraphProblem> sortedDistinct(List<GraphProblem> problems) {
        return List.copyOf(new TreeSet<>(problems));
    }

    private void checkModes() {
        for (Consumer c : graph.consumers().values()) {
            List<Dataset> chain = graph.lineage(c.dataset());
            if (c.mode() == ReplicationMode.INCREMENTAL
                    && !chain.isEmpty()
                    && chain.get(0) instanceof TableDataset root
                    && root.cursor().isEmpty()) {
                problem(
                        c.path() + ".mode",
                        "incremental needs a cursor on dataset "
                                + root.name()
                                + " (datasets."
                                + root.name()
                                + ".cursor, e.g. [updated_at, id]) or mode: snapshot");
            }
        }
    }

    private void checkSchemas() {
        for (String d : graph.datasets().keySet()) {
            datasetShape(d);
        }
        for (Consumer c : graph.consumers().values()) {
            Optional<TableShape> out = consumerShape(c.name());
            if (out.isPresent()) {
                checkTarget(c, out.get());
            }
        }
    }

    private Optional<TableShape> datasetShape(String name) {
        Optional<TableShape> known = datasetShapes.get(name);
        if (known != null) {
            return known;
        }
        if (!inProgress.add("d:" + name)) {
            return Optional.empty(); // a cycle, already reported
        }
        Optional<TableShape> shape = Optional.empty();
        Dataset d = graph.datasets().get(name);
        if (d instanceof TableDataset t) {
            shape = tableShape(t);
        } else if (d instanceof SliceDataset s && graph.datasets().containsKey(s.parent())) {
            Optional<TableShape> parent = datasetShape(s.parent());
            if (parent.isPresent()) {
                shape =
                        Optional.of(
                                narrow(
                                        parent.get(),
                                        s.columns(),
                                        s.filter(),
                                        s.path(),
                                        s.parent()));
            }
        }
        inProgress.remove("d:" + name);
        datasetShapes.put(name, shape);
        return shape;
    }

    private Optional<TableShape> tableShape(TableDataset t) {
        ConnectionSpec conn = graph.connections().get(t.connection());
        if (conn == null) {
            return Optional.empty();
        }
        Optional<TableShape> actual = describe(conn, t.table(), "connections." + t.connection());
        if (actual == null) {
            return Optional.empty();
        }
        Optional<TableShape> shape = actual;
        if (actual.isEmpty()) {
            Optional<Consumer> feeder =
                    graph.consumers().values().stream()
                            .filter(c -> graph.datasetsOnTable(c.target()).contains(t))
                            .findFirst();
            if (feeder.isPresent()) {
                shape = consumerShape(feeder.get().name());
            } else {
                problem(
                        t.path() + ".table",
                        "table " + t.table() + " does not exist in connection " + t.connection());
                return Optional.empty();
            }
        }
        if (shape.isPresent()) {
            TableShape s = shape.get();
            for (int i = 0; i < t.cursor().size(); i++) {
                if (s.column(t.cursor().get(i)).isEmpty()) {
                    problem(
                            t.path() + ".cursor[" + i + "]",
                            unknownColumn(t.cursor().get(i), t.table(), s));
                }
            }
            if (t.softDelete() != null && s.column(t.softDelete()).isEmpty()) {
                problem(t.path() + ".soft-delete", unknownColumn(t.softDelete(), t.table(), s));
            }
            if (s.primaryKey().isEmpty()) {
                problem(
                        t.path() + ".table",
                        "table "
                                + t.table()
                                + " has no primary key; replication upserts and deletes by it");
            }
        }
        return shape;
    }

    private Optional<TableShape> consumerShape(String name) {
        Optional<TableShape> known = consumerShapes.get(name);
        if (known != null) {
            return known;
        }
        if (!inProgress.add("c:" + name)) {
            return Optional.empty();
        }
        Consumer c = graph.consumers().get(name);
        Optional<TableShape> shape = Optional.empty();
        if (graph.datasets().containsKey(c.dataset())) {
            Optional<TableShape> in = datasetShape(c.dataset());
            if (in.isPresent()) {
                shape =
                        Optional.of(
                                narrow(in.get(), c.columns(), c.filter(), c.path(), c.dataset()));
            }
        }
        inProgress.remove("c:" + name);
        consumerShapes.put(name, shape);
        return shape;
    }

    /**
     * Checks a projection and a filter against the input's columns; returns the projected shape.
     */
    private TableShape narrow(
            TableShape in, List<String> columns, Condition filter, String path, String inputName) {
        for (int i = 0; i < columns.size(); i++) {
            if (in.column(columns.get(i)).isEmpty()) {
                problem(path + ".columns[" + i + "]", unknownColumn(columns.get(i), inputName, in));
            }
        }
        if (!columns.isEmpty()) {
            List<String> missingKey =
                    in.primaryKey().stream()
                            .filter(k -> columns.stream().noneMatch(k::equalsIgnoreCase))
                            .toList();
            if (!missingKey.isEmpty()) {
                problem(
                        path + ".columns",
                        "must include the primary key column(s) "
                                + String.join(", ", missingKey)
                                + " of "
                                + inputName
                                + ": targets are kept by primary key");
            }
        }
        if (filter != null) {
            for (Condition.Comparison cmp : filter.comparisons()) {
                Optional<ColumnShape> col = in.column(cmp.column());
                if (col.isEmpty()) {
                    problem(cmp.path() + ".column", unknownColumn(cmp.column(), inputName, in));
                } else {
                    checkValues(cmp, col.get());
                }
            }
        }
        return in.project(columns);
    }

    private void checkValues(Condition.Comparison cmp, ColumnShape col) {
        if (cmp.op() == Operator.LIKE
                && col.family() != TypeFamily.TEXT
                && col.family() != TypeFamily.OTHER) {
            problem(
                    cmp.path() + ".op",
                    "incompatible type: like needs a text column but "
                            + col.name()
                            + " is "
                            + col.sqlType());
            return;
        }
        for (int i = 0; i < cmp.values().size(); i++) {
            Object v = cmp.values().get(i);
            String where =
                    cmp.op().arity() == Operator.Arity.ONE
                            ? cmp.path() + ".value"
                            : cmp.path() + ".values[" + i + "]";
            if (!fits(v, col.family())) {
                problem(
                        where,
                        "incompatible type: "
                                + describe(v)
                                + " cannot be compared with column "
                                + col.name()
                                + " of type "
                                + col.sqlType());
            }
        }
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "text '" + s + "'";
        }
        if (v instanceof Boolean b) {
            return "boolean " + b;
        }
        return "number " + v;
    }

    /** Whether a filter value can be compared with a column of the given family. */
    static boolean fits(Object v, TypeFamily family) {
        switch (family) {
            case INTEGER:
                return v instanceof Long
                        || v instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0;
            case DECIMAL:
            case FLOAT:
                return v instanceof Long || v instanceof BigDecimal;
            case TEXT:
                return !(v instanceof Boolean);
            case BOOLEAN:
                return v instanceof Boolean || v instanceof Long l && (l == 0 || l == 1);
            case DATE:
                return v instanceof String s && parses(s, 'd');
            case TIME:
                return v instanceof String s && parses(s, 't');
            case TIMESTAMP:
                return v instanceof String s && (parses(s, 'T') || parses(s, 'd'));
            default:
                return true;
        }
    }

    private static boolean parses(String s, char kind) {
        String t = s.trim().replace(' ', 'T');
        try {
            switch (kind) {
                case 'd':
                    LocalDate.parse(s.trim());
                    return true;
                case 't':
                    LocalTime.parse(s.trim());
                    return true;
                default:
                    try {
                        LocalDateTime.parse(t);
                    } catch (DateTimeParseException e) {
                        OffsetDateTime.parse(t);
                    }
                    return true;
            }
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void checkTarget(Consumer c, TableShape out) {
        ConnectionSpec conn = graph.connections().get(c.target().connection());
        if (conn == null) {
            return;
        }
        Optional<TableShape> existing =
                describe(conn, c.target().table(), "connections." + c.target().connection());
        if (existing == null || existing.isEmpty()) {
            return; // created from the slice's shape on the first run
        }
        TableShape target = existing.get();
        String where = c.path() + ".target.table";
        for (ColumnShape col : out.columns()) {
            Optional<ColumnShape> tc = target.column(col.name());
            if (tc.isPresent() && !tc.get().family().accepts(col.family())) {
                problem(
                        where,
                        "incompatible type: column "
                                + col.name()
                                + " is "
                                + tc.get().sqlType()
                                + " in target "
                                + c.target().table()
                                + " but "
                                + col.sqlType()
                                + " in the source");
            }
        }
        if (!target.primaryKey().isEmpty() && !sameColumns(target.primaryKey(), out.primaryKey())) {
            problem(
                    where,
                    "target "
                            + c.target().table()
                            + " has primary key ("
                            + String.join(", ", target.primaryKey())
                            + ") but the source's is ("
                            + String.join(", ", out.primaryKey())
                            + ")");
        }
    }

    private static boolean sameColumns(List<String> a, List<String> b) {
        return a.stream()
                .map(x -> x.toLowerCase(Locale.ROOT))
                .toList()
                .equals(b.stream().map(x -> x.toLowerCase(Locale.ROOT)).toList());
    }

    /** The table's shape; empty if missing; null when the connection could not be asked. */
    private Optional<TableShape> describe(ConnectionSpec conn, String table, String connPath) {
        if (unreachableConnections.contains(conn.name())) {
            return null;
        }
        try {
            return lookup.describe(conn, table);
        } catch (SchemaLookup.SchemaLookupException e) {
            unreachableConnections.add(conn.name());
            problem(connPath, "cannot read table definitions: " + e.getMessage());
            return null;
        }
    }

    private static String unknownColumn(String column, String of, TableShape shape) {
        return "unknown column "
                + column
                + " in "
                + of
                + " (columns: "
                + String.join(", ", shape.columnNames())
                + ")";
    }

    private void problem(String path, String message) {
        problems.add(new GraphProblem(path, message));
    }
}
