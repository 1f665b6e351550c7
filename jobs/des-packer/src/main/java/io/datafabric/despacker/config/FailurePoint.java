package io.datafabric.despacker.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test hook (configuration {@code packer.test.fail-at} and {@code packer.test.fail-marker}):
 * fails the job once at a chosen point of packing, so tests can prove that every point of the
 * commit order recovers to a consistent state. "Once" is a marker file, because the failed task's
 * memory does not survive the failure. Not meant for production configurations.
 */
public record FailurePoint(Point point, String marker) implements Serializable {

    /** Where the failure strikes. */
    public enum Point {
        /** While a shard object is being written, after some bodies went out. */
        MID_UPLOAD,
        /** After a shard object was completed, before anything recorded it. */
        AFTER_UPLOAD,
        /** After the DES metadata of a shard was committed, before the master rows were updated. */
        AFTER_DES_METADATA
    }

    /** Parses {@code mid-upload}, {@code after-upload}, {@code after-des-metadata}. */
    public static Point parsePoint(String text) {
        return Point.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** Throws {@link InjectedFailure} if {@code here} is the chosen point and it has not fired. */
    public void maybeFail(Point here, String where) {
        if (here != point) {
            return;
        }
        try {
            Files.createFile(Path.of(marker));
        } catch (FileAlreadyExistsException spent) {
            return;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create failure marker " + marker, e);
        }
        throw new InjectedFailure("injected failure " + point + " at " + where);
    }

    /** The exception the hook throws. */
    public static final class InjectedFailure extends RuntimeException {
        public InjectedFailure(String message) {
            super(message);
        }
    }
}
