package io.datafabric.des.format;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The rules for entry names (SPEC.md, "Names"). A name is also the tail of a side-object key and of
 * a path in {@code des pack-dir}, so the rules keep it a safe relative key: no empty, {@code .} or
 * {@code ..} segment, no leading or trailing slash, no backslash, no control character.
 */
public final class EntryNames {
    private EntryNames() {}

    /**
     * Checks a name and returns its UTF-8 bytes.
     *
     * @throws IllegalArgumentException with the rule the name breaks
     */
    public static byte[] encode(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "invalid entry name '" + printable(name) + "': " + problem);
        }
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes name bytes read from an object, rejecting what a writer could not have written. */
    public static String decode(byte[] bytes, int offset, int length) throws InvalidNameException {
        String name;
        try {
            name = Utf8.decode(bytes, offset, length);
        } catch (CharacterCodingException e) {
            throw new InvalidNameException("name is not valid UTF-8");
        }
        String problem = problem(name);
        if (problem != null) {
            throw new InvalidNameException(problem);
        }
        return name;
    }

    /** A name that breaks the rules; carries the rule. */
    public static final class InvalidNameException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidNameException(String message) {
            super(message);
        }
    }

    /** Returns the rule a name breaks, or null when it is valid. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (not encodable as UTF-8)";
            }
        }
        // A char takes at most 3 UTF-8 bytes, so only long names need encoding to be measured.
        if (name.length() > DesFormat.MAX_NAME_BYTES / 3
                && name.getBytes(StandardCharsets.UTF_8).length > DesFormat.MAX_NAME_BYTES) {
            return "longer than " + DesFormat.MAX_NAME_BYTES + " UTF-8 bytes";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return "contains a control character";
            }
            if (c == '\\') {
                return "contains a backslash";
            }
        }
        if (name.startsWith("/") || name.endsWith("/")) {
            return "starts or ends with '/'";
        }
        int segmentStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '/') {
                int length = i - segmentStart;
                if (length == 0
                        || (length == 1 && name.charAt(segmentStart) == '.')
                        || (length == 2 && name.startsWith("..", segmentStart))) {
                    return "has an empty, '.' or '..' path segment";
                }
                segmentStart = i + 1;
            }
        }
        return null;
    }

    /** Unsigned lexicographic order of UTF-8 bytes: the order of the INDEX. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    static String printable(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 200; i++) {
            char c = name.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : c);
        }
        return out.toString();
    }
}
