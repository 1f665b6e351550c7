package io.datafabric.drms.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What changed between two graphs, one line per entry: {@code + consumers.a} (added), {@code -
 * datasets.b} (removed), {@code ~ consumers.c: schedule 5s -> 10s, filter} (changed keys).
 */
public final class GraphDiff {
    private static final List<String> SECTIONS = List.of("connections", "datasets", "consumers");

    private GraphDiff() {}

    /** The lines of the diff; {@code before} may be null for the first version. */
    public static List<String> between(JsonNode before, JsonNode after) {
        List<String> lines = new ArrayList<>();
        for (String section : SECTIONS) {
            JsonNode a = before == null ? null : before.get(section);
            JsonNode b = after.get(section);
            TreeSet<String> names = new TreeSet<>();
            fieldNames(a).forEach(names::add);
            fieldNames(b).forEach(names::add);
            for (String name : names) {
                JsonNode x = a == null ? null : a.get(name);
                JsonNode y = b == null ? null : b.get(name);
                String path = section + "." + name;
                if (x == null) {
                    lines.add("+ " + path);
                } else if (y == null) {
                    lines.add("- " + path);
                } else if (!same(x, y)) {
                    lines.add("~ " + path + ": " + changedKeys(x, y));
                }
            }
        }
        return lines;
    }

    /** The diff as stored in {@code graph_versions.diff}. */
    public static String text(List<String> lines) {
        return lines.isEmpty() ? "no changes" : String.join("\n", lines);
    }

    private static String changedKeys(JsonNode x, JsonNode y) {
        TreeSet<String> keys = new TreeSet<>();
        fieldNames(x).forEach(keys::add);
        fieldNames(y).forEach(keys::add);
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            JsonNode vx = x.get(k);
            JsonNode vy = y.get(k);
            if (vx != null && vy != null && same(vx, vy)) {
                continue;
            }
            boolean scalar = (vx == null || vx.isValueNode()) && (vy == null || vy.isValueNode());
            parts.add(scalar ? k + " " + show(vx) + " -> " + show(vy) : k);
        }
        return String.join(", ", parts);
    }

    /**
     * Equal as JSON values: numbers by value, since a tree read back from {@code jsonb} holds
     * {@code 100} as an int where the writer produced a long.
     */
    static boolean same(JsonNode x, JsonNode y) {
        return x.equals(NUMBERS_BY_VALUE, y);
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE =
            (a, b) -> {
                if (a.isNumber() && b.isNumber()) {
                    return a.decimalValue().compareTo(b.decimalValue());
                }
                return a.equals(b) ? 0 : 1;
            };

    private static String show(JsonNode v) {
        return v == null ? "(none)" : v.asText();
    }

    private static Iterable<String> fieldNames(JsonNode node) {
        if (node == null || !node.isObject()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        it.forEachRemaining(e -> out.add(e.getKey()));
        return out;
    }
}
