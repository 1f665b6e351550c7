package io.datafabric.drms.load;

import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * PostgreSQL COPY text format: tab-separated fields, {@code \N} for null, backslash escapes for
 * backslash, tab, newline and carriage return; one row per line.
 */
public final class PgCopyText {
    private PgCopyText() {}

    /** Appends one row (values converted to {@code types} first) and its newline. */
    public static void appendRow(StringBuilder sb, Object[] row, List<ColumnType> types) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            appendValue(sb, Values.coerce(row[i], types.get(i)));
        }
        sb.append('\n');
    }

    static void appendValue(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("\\N");
        } else if (v instanceof String s) {
            appendEscaped(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? 't' : 'f');
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (v instanceof byte[] bytes) {
            // bytea hex input is \x..., and the backslash itself is escaped in COPY text.
            sb.append("\\\\x").append(HexFormat.of().formatHex(bytes));
        } else {
            // Numbers, java.time values and UUIDs print in forms PostgreSQL parses (ISO 8601).
            appendEscaped(sb, v.toString());
        }
    }

    private static void appendEscaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }

    /**
     * The fields of one COPY text row (as PostgreSQL sends it, newline included or not), unescaped;
     * null for {@code \N}.
     */
    public static List<String> fields(byte[] row) {
        int end = row.length;
        if (end > 0 && row[end - 1] == '\n') {
            end--;
        }
        String line = new String(row, 0, end, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == '\t') {
                out.add(unescape(line.substring(start, i)));
                start = i + 1;
            }
        }
        return out;
    }

    static String unescape(String field) {
        if (field.equals("\\N")) {
            return null;
        }
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 >= field.length()) {
                sb.append(c);
                continue;
            }
            char n = field.charAt(++i);
            switch (n) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case 'x' -> {
                    int j = i + 1;
                    int value = 0;
                    while (j < field.length()
                            && j < i + 3
                            && Character.digit(field.charAt(j), 16) >= 0) {
                        value = value * 16 + Character.digit(field.charAt(j), 16);
                        j++;
                    }
                    if (j == i + 1) {
                        sb.append('x');
                    } else {
                        sb.append((char) value);
                        i = j - 1;
                    }
                }
                default -> {
                    if (n >= '0' && n <= '7') {
                        int j = i;
                        int value = 0;
                        while (j < field.length()
                                && j < i + 3
                                && field.charAt(j) >= '0'
                                && field.charAt(j) <= '7') {
                            value = value * 8 + (field.charAt(j) - '0');
                            j++;
                        }
                        sb.append((char) value);
                        i = j - 1;
                    } else {
                        sb.append(n);
                    }
                }
            }
        }
        return sb.toString();
    }
}
