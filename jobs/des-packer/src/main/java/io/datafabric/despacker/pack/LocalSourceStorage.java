package io.datafabric.despacker.pack;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Source files on a local (or mounted) file system under a root directory. */
final class LocalSourceStorage implements SourceStorage {
    private final Path root;

    LocalSourceStorage(String rootUri) {
        this.root = Path.of(stripScheme(rootUri)).toAbsolutePath().normalize();
    }

    private static String stripScheme(String uri) {
        if (uri.startsWith("file://")) {
            return uri.substring("file://".length());
        }
        if (uri.startsWith("file:")) {
            return uri.substring("file:".length());
        }
        return uri;
    }

    Path resolve(String path) throws SourceStorage.SourceFileException {
        if (path == null || !path.startsWith("file:")) {
            throw new SourceStorage.SourceFileException(
                    "path is not a file:// URI of this source: " + path);
        }
        Path p;
        try {
            p = Path.of(stripScheme(path));
        } catch (InvalidPathException e) {
            throw new SourceStorage.SourceFileException("invalid path: " + e.getMessage());
        }
        if (!p.isAbsolute()) {
            throw new SourceStorage.SourceFileException("path is not absolute: " + path);
        }
        Path normal = p.normalize();
        if (!normal.startsWith(root) || normal.equals(root)) {
            throw new SourceStorage.SourceFileException(
                    "path is outside the source storage root " + root + ": " + path);
        }
        return normal;
    }

    @Override
    public Body open(String path) throws SourceStorage.SourceFileException {
        Path file = resolve(path);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                if (!Files.isRegularFile(file)) {
                    channel.close();
                    throw new SourceStorage.SourceFileException("not a regular file: " + path);
                }
                return new Body(Channels.newInputStream(channel), channel.size());
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new SourceStorage.SourceFileException("missing in source storage");
        } catch (AccessDeniedException e) {
            throw new SourceStorage.SourceFileException("unreadable: access denied");
        } catch (IOException e) {
            throw new SourceStorage.SourceFileException("unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String path) throws IOException {
        try {
            Files.deleteIfExists(resolve(path));
        } catch (SourceStorage.SourceFileException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {}
}
