package io.datafabric.launcher.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's working directory. Each run starts from an empty one (the embedded database is new
 * each time, so old usage files would be counted again); a directory is only ever emptied when an
 * earlier demo run marked it as its own, never a user's directory that happens to be named.
 */
final class DemoDirectory {
    static final String MARKER = ".datafabric-demo";

    private DemoDirectory() {}

    static Path prepare(Path requested) throws IOException {
        if (requested == null) {
            Path temp = Files.createTempDirectory("datafabric-demo-");
            Files.createFile(temp.resolve(MARKER));
            return temp;
        }
        Path dir = requested.toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new IOException(
                        dir
                                + " is not empty and was not made by the demo (no "
                                + MARKER
                                + " in it): name an empty or new directory");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.filter(p -> !p.endsWith(MARKER)).toList()) {
                    deleteTree(entry);
                }
            }
        } else {
            Files.createDirectories(dir);
        }
        if (!Files.exists(dir.resolve(MARKER))) {
            Files.createFile(dir.resolve(MARKER));
        }
        return dir;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
