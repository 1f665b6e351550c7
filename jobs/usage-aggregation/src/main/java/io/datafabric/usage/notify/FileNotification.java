package io.datafabric.usage.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A message announcing one finished file: {@code {"path": "...", "size": N}}.
 *
 * @param size bytes of the finished file
 */
public record FileNotification(String path, long size) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a message; throws {@link IllegalArgumentException} saying what is wrong. */
    public static FileNotification parse(String message) {
        JsonNode node;
        try {
            node = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode path = node.get("path");
        JsonNode size = node.get("size");
        if (path == null || !path.isTextual() || path.asText().isBlank()) {
            throw new IllegalArgumentException("\"path\" must be a non-empty string");
        }
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber()) {
            throw new IllegalArgumentException("\"size\" must be a whole number");
        }
        if (size.asLong() < 0) {
            throw new IllegalArgumentException("\"size\" must not be negative");
        }
        return new FileNotification(path.asText(), size.asLong());
    }

    /** The JSON form, as the generator sends it. */
    public String toJson() {
        return JSON.createObjectNode().put("path", path).put("size", size).toString();
    }
}
