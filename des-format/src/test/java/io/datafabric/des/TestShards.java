package io.datafabric.des;

import io.datafabric.des.io.LocalDirectorySink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Builds small shards for tests. */
public final class TestShards {
    private TestShards() {}

    /** Name to body of a few files of assorted sizes, seeded. */
    public static Map<String, byte[]> files(int count, int maxSize, long seed) {
        Random random = new Random(seed);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] body = new byte[random.nextInt(maxSize + 1)];
            random.nextBytes(body);
            files.put(String.format("dir%d/file-%04d.bin", i % 3, i), body);
        }
        return files;
    }

    /** Writes files into {@code dir/shard.des} with the given big-file threshold. */
    public static Path write(Path dir, Map<String, byte[]> files, long bigFileThreshold)
            throws IOException {
        try (DesWriter writer =
                DesWriter.builder(new LocalDirectorySink(dir), "shard.des")
                        .bigFileThreshold(bigFileThreshold)
                        .build()) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                writer.add(
                        file.getKey(),
                        file.getValue(),
                        FileMetadata.of("application/octet-stream")
                                .withAttribute("origin", "test"));
            }
            writer.finish();
        }
        return dir.resolve("shard.des");
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] readAll(Path path) throws IOException {
        return Files.readAllBytes(path);
    }
}
