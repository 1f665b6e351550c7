package io.datafabric.usage.read;

import java.util.Locale;

/**
 * Which file names are complete usage files. A generator writes under a temporary name and renames
 * when done; names starting with {@code .} or {@code _} or ending in {@code .tmp}, {@code .part} or
 * {@code .inprogress} (any case) are never read.
 */
public final class FileNameContract {
    private FileNameContract() {}

    /** True when a file with this name (the last path element) may be read. */
    public static boolean isComplete(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.startsWith("_")) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return !(lower.endsWith(".tmp")
                || lower.endsWith(".part")
                || lower.endsWith(".inprogress"));
    }
}
