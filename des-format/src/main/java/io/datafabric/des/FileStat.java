package io.datafabric.des;

import java.util.Map;
import java.util.Optional;

/**
 * Everything a shard records about one file: its INDEX entry plus its META record.
 *
 * @param name the entry name
 * @param size body length in bytes
 * @param crc32c CRC32C of the body
 * @param contentType media type, empty when the writer was given none
 * @param attributes user key/values in the order they are stored (UTF-8 byte order of the keys)
 * @param bigFileRef for a big file, the key of its side object relative to the shard's directory
 */
public record FileStat(
        String name,
        long size,
        int crc32c,
        String contentType,
        Map<String, String> attributes,
        Optional<String> bigFileRef) {

    public FileMetadata metadata() {
        return new FileMetadata(contentType, attributes);
    }
}
