package io.datafabric.despacker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datafabric.drms.sql.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the optional extra eligibility predicate of a source into a query-builder {@link Filter}.
 * It is written as JSON (a YAML string), with the vocabulary of the replication graph's filters:
 *
 * <pre>
 * {"all": [{"column": "kind", "op": "=", "value": "photo"},
 *          {"not": {"column": "path", "op": "like", "value": "%.tmp"}},
 *          {"column": "owner", "op": "in", "values": ["a", "b"]}]}
 * </pre>
 *
 * Columns are checked against the table and values bound as parameters when the marker's query is
 * built, so no configured text becomes SQL.
 */
public final class EligibilityFilter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EligibilityFilter() {}

    /** Parses {@code json}; throws {@link IllegalArgumentException} naming the problem. */
    public static Filter parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        return node(root, "$");
    }

    private static Filter node(JsonNode n, String path) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        if (n.has("all") || n.has("any")) {
            String kind = n.has("all") ? "all" : "any";
            JsonNode items = n.get(kind);
            if (!items.isArray() || n.size() != 1) {
                throw new IllegalArgumentException(
                        path + "." + kind + " must be the only key and hold a list");
            }
            List<Filter> parts = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                parts.add(node(items.get(i), path + "." + kind + "[" + i + "]"));
            }
            return kind.equals("all") ? new Filter.All(parts) : new Filter.Any(parts);
        }
        if (n.has("not")) {
            if (n.size() != 1) {
                throw new IllegalArgumentException(path + ".not must be the only key");
            }
            return new Filter.Not(node(n.get("not"), path + ".not"));
        }
        if (!n.hasNonNull("column") || !n.hasNonNull("op")) {
            throw new IllegalArgumentException(
                    path + " needs all/any/not, or column and op (and value or values)");
        }
        Object value = null;
        if (n.has("values")) {
            List<Object> values = new ArrayList<>();
            n.get("values").forEach(v -> values.add(scalar(v, path)));
            value = values;
        } else if (n.has("value")) {
            value = scalar(n.get("value"), path);
        }
        try {
            return Filter.of(n.get("column").asText(), n.get("op").asText(), value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage());
        }
    }

    private static Object scalar(JsonNode v, String path) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        throw new IllegalArgumentException(path + ": values must be strings, numbers or booleans");
    }
}
