package io.datafabric.api.http;

import java.util.regex.Pattern;

/**
 * Checks of names that arrive in paths, query strings and bodies. Catalog names follow the
 * replication graph's rule (a letter, then letters, digits or {@code _}, at most 63), user names a
 * similar rule; anything else is refused before it reaches a query.
 */
public final class Names {
    public static final Pattern CATALOG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
    public static final Pattern USER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.@-]{0,63}");

    private Names() {}

    /** A catalog name (dataset, consumer, connection), or 400 saying what is wrong. */
    public static String catalog(String what, String value) {
        return check(
                what,
                value,
                CATALOG_NAME,
                "a letter followed by letters, digits or _, at most 63 characters");
    }

    public static String user(String what, String value) {
        return check(
                what,
                value,
                USER_NAME,
                "a letter followed by letters, digits, '.', '@', '-' or '_', at most 64 characters");
    }

    private static String check(String what, String value, Pattern pattern, String rule) {
        if (value == null || value.isEmpty()) {
            throw ApiError.badRequest(what + " is missing");
        }
        if (value.length() > 200) {
            throw ApiError.badRequest(
                    what + " is too long (" + value.length() + " characters; " + rule + ")");
        }
        if (!pattern.matcher(value).matches()) {
            throw ApiError.badRequest(
                    what + " '" + printable(value) + "' is invalid: must be " + rule);
        }
        return value;
    }

    /** A value for an error message: control characters escaped, cut at 80 characters. */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 80; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : c);
        }
        if (value.length() > 80) {
            out.append("...");
        }
        return out.toString();
    }

    /** A positive int query parameter within bounds, or its default. */
    public static int intParam(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v < min || v > max) {
                throw ApiError.badRequest(
                        "query parameter '" + name + "' must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(
                    "query parameter '"
                            + name
                            + "' must be an integer, not '"
                            + printable(raw)
                            + "'");
        }
    }

    public static long longParam(String name, String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiError.badRequest(
                    name + " must be an integer, not '" + printable(String.valueOf(raw)) + "'");
        }
    }
}
