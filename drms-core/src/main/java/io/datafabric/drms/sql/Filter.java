package io.datafabric.drms.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A row predicate: the filter of a slice. A plain immutable value; {@link Select} renders it as SQL
 * with bind parameters and {@link #matches(Map)} evaluates it in Java with SQL's three-valued logic
 * (a comparison with NULL is unknown, and unknown rows do not match).
 *
 * <p>As a graph file writes it:
 *
 * <pre>
 * filter: {all: [{column: amount, op: "&gt;=", value: 100},
 *                {column: status, op: in, values: [paid, shipped]},
 *                {not: {column: note, op: like, value: "test%"}}]}
 * </pre>
 *
 * maps to {@code new All(List.of(Filter.of("amount", ">=", 100), Filter.of("status", "in",
 * List.of("paid", "shipped")), new Not(Filter.of("note", "like", "test%"))))}. Values may be
 * strings, numbers, booleans or java.time values; they are converted to the column's type when the
 * filter is rendered or evaluated (so {@code "2024-01-01"} works for a timestamp column).
 */
public sealed interface Filter
        permits Filter.All,
                Filter.Any,
                Filter.Not,
                Filter.Compare,
                Filter.In,
                Filter.IsNull,
                Filter.Between,
                Filter.Like {

    /** Comparison operators of {@link Compare}. */
    enum Op {
        EQ("="),
        NE("<>"),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        private final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        public String sql() {
            return sql;
        }

        /** Parses {@code = != <> < <= > >=}. */
        public static Op parse(String text) {
            return switch (text.trim()) {
                case "=", "==" -> EQ;
                case "!=", "<>" -> NE;
                case "<" -> LT;
                case "<=" -> LE;
                case ">" -> GT;
                case ">=" -> GE;
                default -> throw new IllegalArgumentException("unknown comparison '" + text + "'");
            };
        }

        boolean holds(int cmp) {
            return switch (this) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
            };
        }
    }

    /** True when every part is true; an empty {@code All} is true (no filter). */
    record All(List<Filter> filters) implements Filter {
        public All {
            filters = List.copyOf(filters);
        }
    }

    /** True when some part is true; an empty {@code Any} is false. */
    record Any(List<Filter> filters) implements Filter {
        public Any {
            filters = List.copyOf(filters);
        }
    }

    /** Negation (NOT unknown stays unknown). */
    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }
    }

    /** {@code column op value}; the value must not be null (use {@link IsNull}). */
    record Compare(String column, Op op, Object value) implements Filter {
        public Compare {
            Identifiers.check(column, "filter column");
            Objects.requireNonNull(op, "op");
            if (value == null) {
                throw new IllegalArgumentException(
                        "filter on "
                                + column
                                + " compares with null; use 'is null' / 'is not null'");
            }
        }
    }

    /** {@code column [NOT] IN (values)}; values must not contain null. */
    record In(String column, List<Object> values, boolean negated) implements Filter {
        public In {
            Identifiers.check(column, "filter column");
            for (Object v : values) {
                if (v == null) {
                    throw new IllegalArgumentException(
                            "filter 'in' on " + column + " lists null; use 'is null'");
                }
            }
            values = List.copyOf(values);
        }
    }

    /** {@code column IS [NOT] NULL}. */
    record IsNull(String column, boolean negated) implements Filter {
        public IsNull {
            Identifiers.check(column, "filter column");
        }
    }

    /** {@code column BETWEEN low AND high} (both ends included). */
    record Between(String column, Object low, Object high) implements Filter {
        public Between {
            Identifiers.check(column, "filter column");
            if (low == null || high == null) {
                throw new IllegalArgumentException(
                        "filter 'between' on " + column + " needs two values");
            }
        }
    }

    /**
     * {@code column LIKE pattern}: {@code %} any run, {@code _} one character, {@code \} escapes.
     */
    record Like(String column, String pattern) implements Filter {
        public Like {
            Identifiers.check(column, "filter column");
            Objects.requireNonNull(pattern, "like pattern");
        }
    }

    /** The filter that lets every row through. */
    static Filter none() {
        return new All(List.of());
    }

    /** {@code all} of the given filters, flattening nested {@code all}s and dropping no-ops. */
    static Filter and(Filter... filters) {
        List<Filter> parts = new ArrayList<>();
        for (Filter f : filters) {
            if (f instanceof All a) {
                parts.addAll(a.filters());
            } else if (f != null) {
                parts.add(f);
            }
        }
        return parts.size() == 1 ? parts.get(0) : new All(parts);
    }

    /**
     * A leaf filter from the textual operator of a graph file: {@code = != < <= > >=} (value),
     * {@code in} / {@code not in} (a collection of values), {@code is null} / {@code is not null}
     * (no value), {@code between} (a two-element collection), {@code like} (a pattern string).
     */
    static Filter of(String column, String op, Object value) {
        String o = op == null ? "" : op.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return switch (o) {
            case "in", "not in" -> {
                if (!(value instanceof Collection<?> c)) {
                    throw new IllegalArgumentException(
                            "filter '" + o + "' on " + column + " needs a list of values");
                }
                yield new In(column, new ArrayList<>(c), o.equals("not in"));
            }
            case "is null", "is not null" -> {
                if (value != null) {
                    throw new IllegalArgumentException(
                            "filter '" + o + "' on " + column + " takes no value");
                }
                yield new IsNull(column, o.equals("is not null"));
            }
            case "between" -> {
                if (!(value instanceof Collection<?> c) || c.size() != 2) {
                    throw new IllegalArgumentException(
                            "filter 'between' on " + column + " needs exactly two values");
                }
                List<?> l = new ArrayList<>(c);
                yield new Between(column, l.get(0), l.get(1));
            }
            case "like" -> {
                if (!(value instanceof String s)) {
                    throw new IllegalArgumentException(
                            "filter 'like' on " + column + " needs a string pattern");
                }
                yield new Like(column, s);
            }
            default -> {
                Op parsed;
                try {
                    parsed = Op.parse(o);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "unknown filter operator '"
                                    + op
                                    + "' on "
                                    + column
                                    + " (known: =, !=, <, <=, >, >=, in, not in, is null,"
                                    + " is not null, between, like)");
                }
                yield new Compare(column, parsed, value);
            }
        };
    }

    /** The column names the filter mentions, in first-mention order. */
    default Set<String> columns() {
        Set<String> out = new LinkedHashSet<>();
        collectColumns(this, out);
        return out;
    }

    private static void collectColumns(Filter f, Set<String> out) {
        if (f instanceof All a) {
            a.filters().forEach(p -> collectColumns(p, out));
        } else if (f instanceof Any a) {
            a.filters().forEach(p -> collectColumns(p, out));
        } else if (f instanceof Not n) {
            collectColumns(n.filter(), out);
        } else if (f instanceof Compare c) {
            out.add(c.column());
        } else if (f instanceof In i) {
            out.add(i.column());
        } else if (f instanceof IsNull n) {
            out.add(n.column());
        } else if (f instanceof Between b) {
            out.add(b.column());
        } else if (f instanceof Like l) {
            out.add(l.column());
        }
    }

    /**
     * Evaluates the filter against a row given as column name → value (missing columns are an
     * error; a present key with a null value is SQL NULL). Strings compare by code point, like a
     * binary collation.
     */
    default boolean matches(Map<String, ?> row) {
        return FilterEvaluator.evaluate(this, row, null) == Boolean.TRUE;
    }

    /**
     * Like {@link #matches(Map)}, converting the filter's values to the column types of {@code
     * schema} first (as the SQL rendering does).
     */
    default boolean matches(Map<String, ?> row, TableSchema schema) {
        return FilterEvaluator.evaluate(this, row, schema) == Boolean.TRUE;
    }
}
