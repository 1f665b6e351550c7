package io.datafabric.replication.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The message published to the {@code drms.events} exchange (routing key = dataset) after an edge
 * loaded rows; schema in {@code drms-event.schema.json}. Outside systems may publish one without
 * {@code edge} to announce that a dataset changed.
 */
public record DrmsEvent(
        int schemaVersion,
        String dataset,
        String edge,
        long rows,
        String cursor,
        String emittedAt) {
    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static DrmsEvent loaded(String dataset, String edge, long rows, String cursor) {
        return new DrmsEvent(SCHEMA_VERSION, dataset, edge, rows, cursor, Instant.now().toString());
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema_version", schemaVersion);
        n.put("dataset", dataset);
        if (edge == null) {
            n.putNull("edge");
        } else {
            n.put("edge", edge);
        }
        n.put("rows", rows);
        if (cursor == null) {
            n.putNull("cursor");
        } else {
            n.put("cursor", cursor);
        }
        if (emittedAt != null) {
            n.put("emitted_at", emittedAt);
        }
        return n.toString();
    }

    /**
     * Reads an event; empty when the text is not an event of a schema version this job knows (the
     * caller counts and logs it).
     */
    public static Optional<DrmsEvent> parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null
                    || !n.isObject()
                    || n.path("schema_version").asInt(-1) != SCHEMA_VERSION
                    || !n.path("dataset").isTextual()) {
                return Optional.empty();
            }
            JsonNode edge = n.get("edge");
            JsonNode cursor = n.get("cursor");
            return Optional.of(
                    new DrmsEvent(
                            SCHEMA_VERSION,
                            n.get("dataset").textValue(),
                            edge == null || edge.isNull() ? null : edge.asText(),
                            n.path("rows").asLong(0),
                            cursor == null || cursor.isNull() ? null : cursor.asText(),
                            n.hasNonNull("emitted_at") ? n.get("emitted_at").asText() : null));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
