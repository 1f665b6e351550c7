package io.datafabric.drms.graph;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the graph file (YAML, or the same tree as JSON) into a {@link DatasetGraph}, collecting a
 * {@link GraphProblem} with its YAML path for everything malformed instead of stopping at the
 * first. Entries too broken to use are left out of the graph; the rest is still returned so that
 * later checks can report their own problems too.
 */
public final class GraphParser {
    /** Names of connections, datasets and consumers: they become routing keys and ids. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private static final Pattern IDENTIFIER =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private static final Set<String> TOP_KEYS = Set.of("connections", "datasets", "consumers");
    private static final Set<String> CONNECTION_KEYS =
            Set.of("dialect", "url", "user", "password-env", "description");
    private static final Set<String> TABLE_KEYS =
            Set.of("connection", "table", "cursor", "soft-delete", "description");
    private static final Set<String> SLICE_KEYS =
            Set.of("parent", "columns", "filter", "description");
    private static final Set<String> CONSUMER_KEYS =
            Set.of(
                    "dataset",
                    "target",
                    "columns",
                    "filter",
                    "schedule",
                    "mode",
                    "approved",
                    "paused",
                    "status",
                    "description");

    /** The default interval of a consumer that names none. */
    public static final Duration DEFAULT_SCHEDULE = Duration.ofMinutes(1);

    private final ObjectMapper yaml;
    private final List<GraphProblem> problems = new ArrayList<>();

    private GraphParser() {
        YAMLFactory factory = new YAMLFactory();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        yaml = new ObjectMapper(factory);
    }

    /** The outcome of parsing: the usable part of the graph and every problem met. */
    public record Result(DatasetGraph graph, List<GraphProblem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Parses the text of a graph file. */
    public static Result parse(String text) {
        GraphParser parser = new GraphParser();
        JsonNode root;
        try {
            root = parser.yaml.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            if (e.getLocation() != null) {
                msg += " (line " + e.getLocation().getLineNr() + ")";
            }
            return new Result(
                    DatasetGraph.empty(),
                    List.of(new GraphProblem("(file)", "not valid YAML: " + msg)));
        }
        return parser.parseTree(root);
    }

    /** Parses a tree already read (for example from the control plane's JSON columns). */
    public static Result parse(JsonNode root) {
        return new GraphParser().parseTree(root);
    }

    /** Parses one filter tree, as found under {@code filter:}, at the given path. */
    public static Condition parseFilter(JsonNode node, String path, List<GraphProblem> problems) {
        GraphParser parser = new GraphParser();
        Condition c = parser.condition(node, path);
        problems.addAll(parser.problems);
        return c;
    }

    private Result parseTree(JsonNode root) {
        Map<String, ConnectionSpec> connections = new LinkedHashMap<>();
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        Map<String, Consumer> consumers = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            problem("(file)", "the graph file is empty");
            return new Result(DatasetGraph.empty(), problems);
        }
        if (!root.isObject()) {
            problem(
                    "(file)",
                    "the graph file must be a mapping with connections, datasets and consumers");
            return new Result(DatasetGraph.empty(), problems);
        }
        unknownKeys(root, "", TOP_KEYS);
        forEachEntry(
                root,
                "connections",
                (name, node, path) -> {
                    ConnectionSpec c = connection(name, node, path);
                    if (c != null) {
                        connections.put(name, c);
                    }
                });
        forEachEntry(
                root,
                "datasets",
                (name, node, path) -> {
                    Dataset d = dataset(name, node, path);
                    if (d != null) {
                        datasets.put(name, d);
                    }
                });
        forEachEntry(
                root,
                "consumers",
                (name, node, path) -> {
                    Consumer c = consumer(name, node, path);
                    if (c != null) {
                        consumers.put(name, c);
                    }
                });
        return new Result(new DatasetGraph(connections, datasets, consumers), problems);
    }

    private interface EntryHandler {
        void accept(String name, JsonNode node, String path);
    }

    private void forEachEntry(JsonNode root, String section, EntryHandler handler) {
        JsonNode node = root.get(section);
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            problem(section, "must be a mapping of names to entries");
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = section + "." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                problem(
                        path,
                        "name must start with a letter and hold only letters, digits and _ (at"
                                + " most 63)");
                continue;
            }
            if (!e.getValue().isObject()) {
                problem(path, "must be a mapping");
                continue;
            }
            handler.accept(e.getKey(), e.getValue(), path);
        }
    }

    private ConnectionSpec connection(String name, JsonNode node, String path) {
        unknownKeys(node, path, CONNECTION_KEYS);
        String dialect = text(node, "dialect", path, true);
        String url = text(node, "url", path, true);
        String user = text(node, "user", path, false);
        String passwordEnv = text(node, "password-env", path, false);
        boolean ok = dialect != null && url != null;
        if (dialect != null
                && !ConnectionSpec.DIALECTS.contains(dialect.toLowerCase(Locale.ROOT))) {
            problem(
                    path + ".dialect",
                    "unknown dialect " + dialect + " (postgres, mariadb or generic)");
            ok = false;
        }
        if (url != null && !url.startsWith("jdbc:")) {
            problem(path + ".url", "must be a JDBC url starting with jdbc:");
            ok = false;
        }
        if (url != null && url.toLowerCase(Locale.ROOT).contains("password=")) {
            problem(path + ".url", "must not carry a password; name its variable in password-env");
            ok = false;
        }
        if (passwordEnv != null && !passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problem(path + ".password-env", "must name an environment variable");
            ok = false;
        }
        return ok ? new ConnectionSpec(name, dialect, url, user, passwordEnv) : null;
    }

    private Dataset dataset(String name, JsonNode node, String path) {
        boolean slice = node.has("parent");
        if (slice) {
            for (String key : List.of("connection", "table", "cursor", "soft-delete")) {
                if (node.has(key)) {
                    problem(
                            path + "." + key,
                            "a slice (with parent) takes its "
                                    + key
                                    + " from its parent; remove this key");
                }
            }
            unknownKeys(node, path, union(SLICE_KEYS, TABLE_KEYS));
            String parent = text(node, "parent", path, true);
            List<String> columns = columnList(node, "columns", path);
            Condition filter =
                    node.has("filter") ? condition(node.get("filter"), path + ".filter") : null;
            return parent == null ? null : new SliceDataset(name, parent, columns, filter);
        }
        for (String key : List.of("columns", "filter")) {
            if (node.has(key)) {
                problem(
                        path + "." + key,
                        "only a slice (a dataset with parent) has "
                                + key
                                + "; add parent or remove it");
            }
        }
        unknownKeys(node, path, union(SLICE_KEYS, TABLE_KEYS));
        String connection = text(node, "connection", path, true);
        String table = text(node, "table", path, true);
        if (table != null && !IDENTIFIER.matcher(table).matches()) {
            problem(path + ".table", "not a table name (table or schema.table): " + table);
            table = null;
        }
        List<String> cursor = columnList(node, "cursor", path);
        String softDelete = text(node, "soft-delete", path, false);
        if (softDelete != null && !COLUMN.matcher(softDelete).matches()) {
            problem(path + ".soft-delete", "not a column name: " + softDelete);
            softDelete = null;
        }
        if (connection == null || table == null) {
            return null;
        }
        return new TableDataset(name, connection, table, cursor, softDelete);
    }

    private Consumer consumer(String name, JsonNode node, String path) {
        unknownKeys(node, path, CONSUMER_KEYS);
        String dataset = text(node, "dataset", path, true);
        ConsumerTarget target = null;
        JsonNode t = node.get("target");
        if (t == null || t.isNull()) {
            problem(path + ".target", "is required: {connection: ..., table: ...}");
        } else if (!t.isObject()) {
            problem(path + ".target", "must be a mapping {connection: ..., table: ...}");
        } else {
            unknownKeys(t, path + ".target", Set.of("connection", "table"));
            String conn = text(t, "connection", path + ".target", true);
            String table = text(t, "table", path + ".target", true);
            if (table != null && !IDENTIFIER.matcher(table).matches()) {
                problem(
                        path + ".target.table",
                        "not a table name (table or schema.table): " + table);
                table = null;
            }
            if (conn != null && table != null) {
                target = new ConsumerTarget(conn, table);
            }
        }
        List<String> columns = columnList(node, "columns", path);
        Condition filter =
                node.has("filter") ? condition(node.get("filter"), path + ".filter") : null;
        Duration schedule = DEFAULT_SCHEDULE;
        String scheduleText = text(node, "schedule", path, false);
        if (scheduleText != null) {
            schedule = parseDuration(scheduleText);
            if (schedule == null || schedule.isZero() || schedule.isNegative()) {
                problem(
                        path + ".schedule",
                        "not a positive interval: "
                                + scheduleText
                                + " (examples: 500ms, 5s, 10m, 1h)");
                schedule = DEFAULT_SCHEDULE;
            }
        }
        ReplicationMode mode = ReplicationMode.INCREMENTAL;
        String modeText = text(node, "mode", path, false);
        if (modeText != null) {
            try {
                mode = ReplicationMode.valueOf(modeText.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(path + ".mode", "unknown mode " + modeText + " (incremental or snapshot)");
            }
        }
        ConsumerStatus status = status(node, path);
        if (dataset == null || target == null) {
            return null;
        }
        return new Consumer(name, dataset, target, columns, filter, schedule, mode, status);
    }

    private ConsumerStatus status(JsonNode node, String path) {
        boolean approved = bool(node, "approved", path);
        boolean paused = bool(node, "paused", path);
        String statusText = text(node, "status", path, false);
        if (statusText != null) {
            try {
                return ConsumerStatus.ofSqlName(statusText);
            } catch (IllegalArgumentException e) {
                problem(
                        path + ".status",
                        "unknown status "
                                + statusText
                                + " (pending, approved, rejected or paused)");
            }
        }
        if (paused) {
            return ConsumerStatus.PAUSED;
        }
        return approved ? ConsumerStatus.APPROVED : ConsumerStatus.PENDING;
    }

    private Condition condition(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            problem(path, "must be a mapping: {column: ..., op: ..., value: ...} or all/any/not");
            return null;
        }
        for (String combinator : List.of("all", "any")) {
            if (node.has(combinator)) {
                unknownKeys(node, path, Set.of(combinator));
                JsonNode list = node.get(combinator);
                String listPath = path + "." + combinator;
                if (!list.isArray() || list.isEmpty()) {
                    problem(listPath, "must be a non-empty list of conditions");
                    return null;
                }
                List<Condition> parts = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    Condition c = condition(list.get(i), listPath + "[" + i + "]");
                    if (c != null) {
                        parts.add(c);
                    }
                }
                if (parts.size() != list.size()) {
                    return null;
                }
                return combinator.equals("all")
                        ? new Condition.All(parts, path)
                        : new Condition.Any(parts, path);
            }
        }
        if (node.has("not")) {
            unknownKeys(node, path, Set.of("not"));
            Condition inner = condition(node.get("not"), path + ".not");
            return inner == null ? null : new Condition.Not(inner, path);
        }
        unknownKeys(node, path, Set.of("column", "op", "value", "values"));
        String column = text(node, "column", path, true);
        if (column != null && !COLUMN.matcher(column).matches()) {
            problem(path + ".column", "not a column name: " + column);
            column = null;
        }
        String opText = text(node, "op", path, true);
        Operator op = null;
        if (opText != null) {
            op = Operator.ofSymbol(opText).orElse(null);
            if (op == null) {
                problem(
                        path + ".op",
                        "unknown operator " + opText + " (one of " + Operator.allSymbols() + ")");
            }
        }
        if (column == null || op == null) {
            return null;
        }
        List<Object> values = new ArrayList<>();
        boolean ok = true;
        switch (op.arity()) {
            case NONE:
                for (String key : List.of("value", "values")) {
                    if (node.has(key)) {
                        problem(path + "." + key, "\"" + op.symbol() + "\" takes no value");
                        ok = false;
                    }
                }
                break;
            case ONE:
                if (node.has("values")) {
                    problem(path + ".values", "\"" + op.symbol() + "\" takes one value: use value");
                    ok = false;
                } else if (!node.has("value") || node.get("value").isNull()) {
                    problem(
                            path + ".value",
                            "is required for \""
                                    + op.symbol()
                                    + "\" (to match NULL use op: is null)");
                    ok = false;
                } else {
                    Object v = scalar(node.get("value"), path + ".value");
                    ok = v != null;
                    if (ok) {
                        values.add(v);
                    }
                }
                break;
            case TWO:
            case LIST:
                if (node.has("value")) {
                    problem(path + ".value", "\"" + op.symbol() + "\" takes a list: use values");
                    ok = false;
                    break;
                }
                JsonNode list = node.get("values");
                if (list == null || !list.isArray() || list.isEmpty()) {
                    problem(
                            path + ".values",
                            op.arity() == Operator.Arity.TWO
                                    ? "\"between\" needs values: [low, high]"
                                    : "\"" + op.symbol() + "\" needs a non-empty list of values");
                    ok = false;
                    break;
                }
                if (op.arity() == Operator.Arity.TWO && list.size() != 2) {
                    problem(path + ".values", "\"between\" needs exactly two values: [low, high]");
                    ok = false;
                    break;
                }
                for (int i = 0; i < list.size(); i++) {
                    Object v = scalar(list.get(i), path + ".values[" + i + "]");
                    if (v == null) {
                        ok = false;
                    } else {
                        values.add(v);
                    }
                }
                break;
            default:
                throw new IllegalStateException("arity " + op.arity());
        }
        return ok ? new Condition.Comparison(column, op, values, path) : null;
    }

    private Object scalar(JsonNode v, String path) {
        if (v == null || v.isNull()) {
            problem(path, "null is not a value here (to match NULL use op: is null)");
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong()
                    ? (Object) v.longValue()
                    : new BigDecimal(v.bigIntegerValue());
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        problem(path, "must be a plain value (text, number or boolean)");
        return null;
    }

    private String text(JsonNode node, String key, String path, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                problem(path + "." + key, "is required");
            }
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            problem(path + "." + key, "must be a non-empty text value");
            return null;
        }
        return v.asText().trim();
    }

    private boolean bool(JsonNode node, String key, String path) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            problem(path + "." + key, "must be true or false");
            return false;
        }
        return v.booleanValue();
    }

    private List<String> columnList(JsonNode node, String key, String path) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            problem(path + "." + key, "must be a list of column names");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String itemPath = path + "." + key + "[" + i + "]";
            if (!item.isTextual() || !COLUMN.matcher(item.textValue()).matches()) {
                problem(itemPath, "not a column name: " + item);
            } else if (out.stream().anyMatch(c -> c.equalsIgnoreCase(item.textValue()))) {
                problem(itemPath, "column " + item.textValue() + " is listed twice");
            } else {
                out.add(item.textValue());
            }
        }
        return out;
    }

    private void unknownKeys(JsonNode node, String path, Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (allowed.contains(key)) {
                continue;
            }
            String where = path.isEmpty() ? key : path + "." + key;
            if (key.equals("password")) {
                problem(
                        where,
                        "inline passwords are not allowed; put the password in an environment"
                                + " variable and name it with password-env");
            } else {
                problem(
                        where,
                        "unknown key "
                                + key
                                + " (expected one of "
                                + String.join(", ", allowed.stream().sorted().toList())
                                + ")");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> out = new java.util.TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Parses a schedule with the suite's one duration syntax (common's {@link
     * io.datafabric.common.config.Durations}: {@code 500ms}, {@code 5s}, {@code 10m}, {@code 2h},
     * {@code 1d} or ISO-8601); null if it is not one.
     */
    public static Duration parseDuration(String text) {
        try {
            return io.datafabric.common.config.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void problem(String path, String message) {
        problems.add(new GraphProblem(path, message));
    }
}
