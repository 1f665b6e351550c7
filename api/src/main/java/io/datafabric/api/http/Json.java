package io.datafabric.api.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * The service's JSON: strict on input (unknown fields, wrong types, trailing tokens and null
 * primitives are errors), ISO-8601 times on output. Request bodies go through {@link #body} so
 * every problem becomes a 4xx naming it.
 */
public final class Json {
    public static final ObjectMapper MAPPER = newMapper();

    private Json() {}

    private static ObjectMapper newMapper() {
        ObjectMapper m = new ObjectMapper();
        m.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(32)
                                .maxStringLength(64 << 10)
                                .maxNumberLength(40)
                                .build());
        m.registerModule(new JavaTimeModule());
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        // no number or boolean is silently turned into a string either
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /**
     * Reads the request body as {@code type}; 413 past {@code maxBytes}, 415 for a non-JSON content
     * type, 400 naming the problem for anything malformed.
     */
    public static <T> T body(Context ctx, Class<T> type, int maxBytes) {
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            throw new ApiError(
                    413,
                    "too_large",
                    "request body of " + declared + " bytes is larger than " + maxBytes);
        }
        String contentType = ctx.contentType();
        if (contentType != null
                && !contentType.isBlank()
                && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(
                    415, "unsupported_media_type", "content type must be application/json");
        }
        byte[] bytes;
        try {
            bytes = ctx.req().getInputStream().readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw ApiError.badRequest("request body could not be read: " + e.getMessage());
        }
        if (bytes.length > maxBytes) {
            throw new ApiError(
                    413, "too_large", "request body is larger than " + maxBytes + " bytes");
        }
        if (bytes.length == 0) {
            throw ApiError.badRequest("request body is empty; a JSON object is expected");
        }
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw ApiError.badRequest("request body is null; a JSON object is expected");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiError.badRequest(
                    "unknown field '"
                            + e.getPropertyName()
                            + "'"
                            + (e.getKnownPropertyIds() == null
                                    ? ""
                                    : " (known: "
                                            + e.getKnownPropertyIds().stream()
                                                    .map(String::valueOf)
                                                    .sorted()
                                                    .collect(Collectors.joining(", "))
                                            + ")"));
        } catch (InvalidFormatException e) {
            throw ApiError.badRequest(
                    "field '"
                            + path(e)
                            + "' has a wrong value or type: expected "
                            + e.getTargetType().getSimpleName());
        } catch (MismatchedInputException e) {
            String path = path(e);
            throw ApiError.badRequest(
                    path.isEmpty()
                            ? "request body must be a JSON object"
                            : "field '"
                                    + path
                                    + "' has the wrong type: expected "
                                    + (e.getTargetType() == null
                                            ? "another type"
                                            : e.getTargetType().getSimpleName()));
        } catch (JsonParseException e) {
            throw ApiError.badRequest(
                    "malformed JSON: " + e.getOriginalMessage() + " at " + location(e));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiError api) {
                throw api;
            }
            if (cause instanceof IllegalArgumentException) {
                throw ApiError.badRequest("field '" + path(e) + "': " + cause.getMessage());
            }
            throw ApiError.badRequest("invalid JSON: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("request body could not be read: " + e.getMessage());
        }
    }

    private static String location(JsonProcessingException e) {
        var l = e.getLocation();
        return l == null ? "?" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
