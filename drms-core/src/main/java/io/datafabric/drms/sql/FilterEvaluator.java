package io.datafabric.drms.sql;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Java evaluation of a {@link Filter} with SQL's three-valued logic (null = unknown). */
final class FilterEvaluator {
    private FilterEvaluator() {}

    static Boolean evaluate(Filter f, Map<String, ?> row, TableSchema schema) {
        if (f instanceof Filter.All a) {
            Boolean result = Boolean.TRUE;
            for (Filter p : a.filters()) {
                Boolean r = evaluate(p, row, schema);
                if (r == Boolean.FALSE) {
                    return Boolean.FALSE;
                }
                if (r == null) {
                    result = null;
                }
            }
            return result;
        }
        if (f instanceof Filter.Any a) {
            Boolean result = Boolean.FALSE;
            for (Filter p : a.filters()) {
                Boolean r = evaluate(p, row, schema);
                if (r == Boolean.TRUE) {
                    return Boolean.TRUE;
                }
                if (r == null) {
                    result = null;
                }
            }
            return result;
        }
        if (f instanceof Filter.Not n) {
            Boolean r = evaluate(n.filter(), row, schema);
            return r == null ? null : !r;
        }
        if (f instanceof Filter.Compare c) {
            Object v = value(row, c.column());
            return v == null
                    ? null
                    : c.op().holds(Values.compare(v, literal(schema, c.column(), c.value())));
        }
        if (f instanceof Filter.In in) {
            Object v = value(row, in.column());
            if (v == null) {
                return null;
            }
            boolean found = false;
            for (Object candidate : in.values()) {
                if (Values.equal(v, literal(schema, in.column(), candidate))) {
                    found = true;
                    break;
                }
            }
            return in.negated() != found;
        }
        if (f instanceof Filter.IsNull n) {
            return (value(row, n.column()) == null) != n.negated();
        }
        if (f instanceof Filter.Between b) {
            Object v = value(row, b.column());
            return v == null
                    ? null
                    : Values.compare(v, literal(schema, b.column(), b.low())) >= 0
                            && Values.compare(v, literal(schema, b.column(), b.high())) <= 0;
        }
        Filter.Like l = (Filter.Like) f;
        Object v = value(row, l.column());
        return v == null ? null : likeRegex(l.pattern()).matcher(Values.canonical(v)).matches();
    }

    private static Object literal(TableSchema schema, String column, Object value) {
        return schema == null ? value : Values.coerce(value, schema.column(column).type());
    }

    private static Object value(Map<String, ?> row, String column) {
        if (row.containsKey(column)) {
            return row.get(column);
        }
        String key = null;
        for (String k : row.keySet()) {
            if (k.toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT))) {
                if (key != null) {
                    throw new IllegalArgumentException("column " + column + " is ambiguous in row");
                }
                key = k;
            }
        }
        if (key == null) {
            throw new IllegalArgumentException(
                    "filter column "
                            + column
                            + " is not in the row (columns: "
                            + row.keySet()
                            + ")");
        }
        return row.get(key);
    }

    /** SQL LIKE as a regex: % = any run, _ = one character, backslash escapes the next one. */
    static Pattern likeRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
