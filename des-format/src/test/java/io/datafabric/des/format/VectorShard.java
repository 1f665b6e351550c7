package io.datafabric.des.format;

import io.datafabric.des.DesWriter;
import io.datafabric.des.FileMetadata;
import io.datafabric.des.ShardSummary;
import io.datafabric.des.io.LocalDirectorySink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of the committed test vector {@code vectors/v1-small.des} (SPEC.md, "Test vectors").
 * {@link #main} regenerates the vector files; the format must never need that.
 */
public final class VectorShard {
    public static final long BIG_FILE_THRESHOLD = 32;

    /** Name to body, in the order they are added. */
    public static Map<String, byte[]> bodies() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("hello.txt", "Hello, DES!\n".getBytes(StandardCharsets.UTF_8));
        bodies.put("empty", new byte[0]);
        byte[] sixteen = new byte[16];
        for (int i = 0; i < 16; i++) {
            sixteen[i] = (byte) i;
        }
        bodies.put("dir/ünïcødé.bin", sixteen);
        bodies.put(
                "big.bin",
                "0123456789abcdefghijklmnopqrstuvwxyz0123".getBytes(StandardCharsets.US_ASCII));
        return bodies;
    }

    public static FileMetadata metadata(String name) {
        return switch (name) {
            case "hello.txt" ->
                    FileMetadata.of("text/plain; charset=utf-8")
                            .withAttribute("owner", "datafabric");
            case "dir/ünïcødé.bin" -> FileMetadata.of("application/octet-stream");
            default -> FileMetadata.NONE;
        };
    }

    /** Writes {@code v1-small.des} (and {@code _bigFiles/big.bin}) into {@code dir}. */
    public static ShardSummary write(Path dir) throws IOException {
        try (DesWriter writer =
                DesWriter.builder(new LocalDirectorySink(dir), "v1-small.des")
                        .bigFileThreshold(BIG_FILE_THRESHOLD)
                        .build()) {
            for (Map.Entry<String, byte[]> body : bodies().entrySet()) {
                writer.add(body.getKey(), body.getValue(), metadata(body.getKey()));
            }
            return writer.finish();
        }
    }

    /** Regenerates the vector files into the directory given as the first argument. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        write(dir);
        StringBuilder listing =
                new StringBuilder("# name\tsize\tcrc32c\tflags\tcontent-type\tattributes\n");
        Path bodiesDir = dir.resolve("v1-small.bodies");
        for (Map.Entry<String, byte[]> body : bodies().entrySet()) {
            String name = body.getKey();
            FileMetadata meta = metadata(name);
            StringBuilder attributes = new StringBuilder();
            meta.attributes()
                    .forEach(
                            (k, v) ->
                                    attributes
                                            .append(attributes.length() == 0 ? "" : ";")
                                            .append(k)
                                            .append('=')
                                            .append(v));
            listing.append(name)
                    .append('\t')
                    .append(body.getValue().length)
                    .append('\t')
                    .append(Checksums.hex(Checksums.crc32c(body.getValue())))
                    .append('\t')
                    .append(body.getValue().length > BIG_FILE_THRESHOLD ? 1 : 0)
                    .append('\t')
                    .append(meta.contentType())
                    .append('\t')
                    .append(attributes)
                    .append('\n');
            Path file = bodiesDir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, body.getValue());
        }
        Files.writeString(dir.resolve("v1-small.listing.tsv"), listing, StandardCharsets.UTF_8);
    }

    private VectorShard() {}
}
