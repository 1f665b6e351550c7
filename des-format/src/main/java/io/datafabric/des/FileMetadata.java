package io.datafabric.des;

import io.datafabric.des.format.DesFormat;
import io.datafabric.des.format.MetaRecord;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a caller gives the writer besides the name and the body: a content type (empty when unknown)
 * and user key/values. Nothing else is stored, in particular no timestamp unless the caller puts
 * one in the attributes, so that identical input gives identical shards.
 *
 * @param contentType media type such as {@code text/plain}; empty when unknown
 * @param attributes user key/values; stored sorted by the UTF-8 bytes of the keys
 */
public record FileMetadata(String contentType, Map<String, String> attributes) {
    public static final FileMetadata NONE = new FileMetadata("", Map.of());

    public FileMetadata {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(attributes, "attributes");
        if (contentType.getBytes(StandardCharsets.UTF_8).length
                > DesFormat.MAX_CONTENT_TYPE_BYTES) {
            throw new IllegalArgumentException(
                    "content type longer than " + DesFormat.MAX_CONTENT_TYPE_BYTES + " bytes");
        }
        attributes = MetaRecord.sortedAttributes(attributes);
    }

    public static FileMetadata of(String contentType) {
        return new FileMetadata(contentType, Map.of());
    }

    /** A copy with one more attribute (or a replaced value). */
    public FileMetadata withAttribute(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        copy.put(key, value);
        return new FileMetadata(contentType, copy);
    }
}
