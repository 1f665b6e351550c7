package io.datafabric.drms.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything one consumer needs to run, with its slices folded in: read {@code columns} (empty =
 * all) of the rows of {@code sourceTable} that match {@code filter} and are not soft-deleted, past
 * the cursor, and keep {@code targetTable} equal to them.
 */
public record EdgeDefinition(
        String edge,
        String dataset,
        ConnectionSpec source,
        String sourceTable,
        List<String> cursor,
        String softDelete,
        List<String> columns,
        Condition filter,
        ConnectionSpec target,
        String targetTable,
        ReplicationMode mode,
        Duration schedule,
        ConsumerStatus status,
        boolean stagedSource) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EdgeDefinition {
        cursor = List.copyOf(cursor);
        columns = List.copyOf(columns);
    }

    /**
     * The filter plus the soft-delete rule: a row whose soft-delete column is set (true, or not
     * null when the column is not boolean) is not part of the slice, so it leaves the target.
     */
    public Condition effectiveFilter(TypeFamily softDeleteFamily) {
        if (softDelete == null) {
            return filter;
        }
        String path = "datasets." + dataset + ".soft-delete";
        Condition alive =
                softDeleteFamily == TypeFamily.BOOLEAN
                        ? new Condition.Any(
                                List.of(
                                        new Condition.Comparison(
                                                softDelete, Operator.IS_NULL, List.of(), path),
                                        new Condition.Comparison(
                                                softDelete, Operator.EQ, List.of(false), path)),
                                path)
                        : new Condition.Comparison(softDelete, Operator.IS_NULL, List.of(), path);
        return Condition.and(filter, alive, path);
    }

    /**
     * A digest of what decides the target's content (source, projection, filter, target, mode):
     * when it changes the edge must re-snapshot. Schedule and status are not part of it.
     */
    public String rulesFingerprint() {
        ObjectNode n = toTree();
        n.remove("schedule");
        n.remove("status");
        n.remove("edge");
        ((ObjectNode) n.get("source")).remove("user");
        ((ObjectNode) n.get("source")).remove("password-env");
        ((ObjectNode) n.get("target")).remove("user");
        ((ObjectNode) n.get("target")).remove("password-env");
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(GraphWriter.json(n).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toJson() {
        return GraphWriter.json(toTree());
    }

    private ObjectNode toTree() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode n = f.objectNode();
        n.put("edge", edge);
        n.put("dataset", dataset);
        n.set("source", GraphWriter.connection(source).put("name", source.name()));
        n.put("source_table", sourceTable);
        ArrayNode c = n.putArray("cursor");
        cursor.forEach(c::add);
        if (softDelete != null) {
            n.put("soft_delete", softDelete);
        }
        ArrayNode cols = n.putArray("columns");
        columns.forEach(cols::add);
        if (filter != null) {
            n.set("filter", GraphWriter.condition(filter));
        }
        n.set("target", GraphWriter.connection(target).put("name", target.name()));
        n.put("target_table", targetTable);
        n.put("mode", mode.yamlName());
        n.put("schedule", schedule.toMillis());
        n.put("status", status.sqlName());
        n.put("staged_source", stagedSource);
        return n;
    }

    /** Reads what {@link #toJson()} wrote. */
    public static EdgeDefinition fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            List<GraphProblem> problems = new ArrayList<>();
            Condition filter =
                    n.hasNonNull("filter")
                            ? GraphParser.parseFilter(
                                    n.get("filter"),
                                    "consumers." + n.get("edge").asText() + ".filter",
                                    problems)
                            : null;
            if (!problems.isEmpty()) {
                throw new GraphValidationException(problems);
            }
            return new EdgeDefinition(
                    n.get("edge").asText(),
                    n.get("dataset").asText(),
                    connection(n.get("source")),
                    n.get("source_table").asText(),
                    strings(n.get("cursor")),
                    n.hasNonNull("soft_delete") ? n.get("soft_delete").asText() : null,
                    strings(n.get("columns")),
                    filter,
                    connection(n.get("target")),
                    n.get("target_table").asText(),
                    ReplicationMode.valueOf(
                            n.get("mode").asText().toUpperCase(java.util.Locale.ROOT)),
                    Duration.ofMillis(n.get("schedule").asLong()),
                    ConsumerStatus.ofSqlName(n.get("status").asText()),
                    n.path("staged_source").asBoolean(false));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "not an edge definition: " + e.getOriginalMessage(), e);
        }
    }

    private static ConnectionSpec connection(JsonNode n) {
        return new ConnectionSpec(
                n.get("name").asText(),
                n.get("dialect").asText(),
                n.get("url").asText(),
                n.path("user").asText(""),
                n.path("password-env").asText(""));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
