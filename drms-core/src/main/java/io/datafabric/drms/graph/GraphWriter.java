package io.datafabric.drms.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Writes a graph back in the file's own format (as a JSON tree): the control plane stores each
 * entry this way, and reading it back goes through {@link GraphParser} like a file does.
 */
public final class GraphWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphWriter() {}

    public static ObjectNode toTree(DatasetGraph graph) {
        ObjectNode root = F.objectNode();
        ObjectNode connections = root.putObject("connections");
        graph.connections().forEach((n, c) -> connections.set(n, connection(c)));
        ObjectNode datasets = root.putObject("datasets");
        graph.datasets().forEach((n, d) -> datasets.set(n, dataset(d)));
        ObjectNode consumers = root.putObject("consumers");
        graph.consumers().forEach((n, c) -> consumers.set(n, consumer(c)));
        return root;
    }

    public static ObjectNode connection(ConnectionSpec c) {
        ObjectNode n = F.objectNode();
        n.put("dialect", c.dialect());
        n.put("url", c.url());
        if (!c.user().isEmpty()) {
            n.put("user", c.user());
        }
        if (!c.passwordEnv().isEmpty()) {
            n.put("password-env", c.passwordEnv());
        }
        return n;
    }

    public static ObjectNode dataset(Dataset d) {
        ObjectNode n = F.objectNode();
        if (d instanceof TableDataset t) {
            n.put("connection", t.connection());
            n.put("table", t.table());
            if (!t.cursor().isEmpty()) {
                ArrayNode cursor = n.putArray("cursor");
                t.cursor().forEach(cursor::add);
            }
            if (t.softDelete() != null) {
                n.put("soft-delete", t.softDelete());
            }
        } else {
            SliceDataset s = (SliceDataset) d;
            n.put("parent", s.parent());
            if (!s.columns().isEmpty()) {
                ArrayNode columns = n.putArray("columns");
                s.columns().forEach(columns::add);
            }
            if (s.filter() != null) {
                n.set("filter", condition(s.filter()));
            }
        }
        return n;
    }

    /** A consumer; its status is written as {@code approved}/{@code paused}/{@code status}. */
    public static ObjectNode consumer(Consumer c) {
        ObjectNode n = F.objectNode();
        n.put("dataset", c.dataset());
        ObjectNode target = n.putObject("target");
        target.put("connection", c.target().connection());
        target.put("table", c.target().table());
        if (!c.columns().isEmpty()) {
            ArrayNode columns = n.putArray("columns");
            c.columns().forEach(columns::add);
        }
        if (c.filter() != null) {
            n.set("filter", condition(c.filter()));
        }
        n.put("schedule", duration(c.schedule()));
        n.put("mode", c.mode().yamlName());
        n.put("status", c.status().sqlName());
        return n;
    }

    public static JsonNode condition(Condition c) {
        ObjectNode n = F.objectNode();
        if (c instanceof Condition.All all) {
            ArrayNode list = n.putArray("all");
            all.conditions().forEach(x -> list.add(condition(x)));
        } else if (c instanceof Condition.Any any) {
            ArrayNode list = n.putArray("any");
            any.conditions().forEach(x -> list.add(condition(x)));
        } else if (c instanceof Condition.Not not) {
            n.set("not", condition(not.condition()));
        } else {
            Condition.Comparison cmp = (Condition.Comparison) c;
            n.put("column", cmp.column());
            n.put("op", cmp.op().symbol());
            switch (cmp.op().arity()) {
                case ONE:
                    n.set("value", value(cmp.values().get(0)));
                    break;
                case TWO:
                case LIST:
                    ArrayNode values = n.putArray("values");
                    cmp.values().forEach(v -> values.add(value(v)));
                    break;
                default:
                    break;
            }
        }
        return n;
    }

    private static JsonNode value(Object v) {
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Long l) {
            return F.numberNode(l);
        }
        if (v instanceof BigDecimal d) {
            return F.numberNode(d);
        }
        return F.textNode(String.valueOf(v));
    }

    /** A duration in the file's short form: {@code 5s}, {@code 10m}, {@code 1500ms}. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    /** Compact JSON text of a tree (sorted keys are not needed: trees are built in one order). */
    public static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
