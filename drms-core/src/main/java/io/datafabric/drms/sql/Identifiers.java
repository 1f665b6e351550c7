package io.datafabric.drms.sql;

/**
 * Checks names before they are quoted into SQL. Quoting (done by each {@link SqlDialect}) makes any
 * name safe; this check only rejects what no database accepts or what signals a broken config:
 * empty names, control characters, absurd lengths.
 */
public final class Identifiers {
    /** Longest name accepted before dialect-specific limits apply. */
    public static final int MAX_LENGTH = 128;

    private Identifiers() {}

    /**
     * Returns {@code name} when it can be an identifier, otherwise throws an {@link
     * IllegalArgumentException} naming {@code what} and the problem.
     */
    public static String check(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank: '" + name + "'");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    what + " is longer than " + MAX_LENGTH + " characters: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(
                        what + " contains a control character (code " + (int) c + "): " + name);
            }
        }
        return name;
    }

    /**
     * True for names made only of ASCII letters, digits and underscores, not starting with a digit:
     * names that every database accepts unquoted and that need no case folding rules.
     */
    public static boolean isSimple(String name) {
        if (name == null || name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Wraps {@code name} in {@code quote} characters, doubling any inside it. */
    public static String quote(String name, char quote) {
        check(name, "identifier");
        StringBuilder sb = new StringBuilder(name.length() + 2).append(quote);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == quote) {
                sb.append(quote);
            }
            sb.append(c);
        }
        return sb.append(quote).toString();
    }
}
