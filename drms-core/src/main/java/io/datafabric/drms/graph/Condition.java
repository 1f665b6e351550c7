package io.datafabric.drms.graph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A slice filter as written in the graph file: {@code all}, {@code any} and {@code not} nest around
 * column comparisons. Every node remembers its YAML path so problems can point at it.
 */
public sealed interface Condition
        permits Condition.All, Condition.Any, Condition.Not, Condition.Comparison {

    /** Where this condition sits in the graph file, e.g. {@code datasets.big.filter.all[1]}. */
    String path();

    /** Every comparison below this node, depth first. */
    default List<Comparison> comparisons() {
        List<Comparison> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    /** The columns this condition reads. */
    default Set<String> columns() {
        Set<String> out = new LinkedHashSet<>();
        for (Comparison c : comparisons()) {
            out.add(c.column());
        }
        return out;
    }

    private static void collect(Condition c, List<Comparison> out) {
        if (c instanceof All all) {
            all.conditions().forEach(x -> collect(x, out));
        } else if (c instanceof Any any) {
            any.conditions().forEach(x -> collect(x, out));
        } else if (c instanceof Not not) {
            collect(not.condition(), out);
        } else {
            out.add((Comparison) c);
        }
    }

    /** Every condition holds. */
    record All(List<Condition> conditions, String path) implements Condition {
        public All {
            conditions = List.copyOf(conditions);
        }
    }

    /** At least one condition holds. */
    record Any(List<Condition> conditions, String path) implements Condition {
        public Any {
            conditions = List.copyOf(conditions);
        }
    }

    /** The condition does not hold. */
    record Not(Condition condition, String path) implements Condition {}

    /**
     * {@code column op value(s)}. Values are YAML scalars: {@link String}, {@link Long}, {@link
     * java.math.BigDecimal} or {@link Boolean}; their count follows {@link Operator#arity()}.
     */
    record Comparison(String column, Operator op, List<Object> values, String path)
            implements Condition {
        public Comparison {
            values = List.copyOf(values);
        }
    }

    /** Both conditions; either may be null (no condition). */
    static Condition and(Condition a, Condition b, String path) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new All(List.of(a, b), path);
    }
}
