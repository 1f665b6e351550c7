package io.datafabric.replication.exec;

import io.datafabric.drms.graph.Condition;
import io.datafabric.drms.sql.Filter;
import java.util.List;

/** Turns the graph's filter model into the query builder's. */
public final class FilterAdapter {
    private FilterAdapter() {}

    /** The query builder's filter; a null condition lets every row through. */
    public static Filter toFilter(Condition c) {
        if (c == null) {
            return Filter.none();
        }
        if (c instanceof Condition.All all) {
            return new Filter.All(all.conditions().stream().map(FilterAdapter::toFilter).toList());
        }
        if (c instanceof Condition.Any any) {
            return new Filter.Any(any.conditions().stream().map(FilterAdapter::toFilter).toList());
        }
        if (c instanceof Condition.Not not) {
            return new Filter.Not(toFilter(not.condition()));
        }
        Condition.Comparison cmp = (Condition.Comparison) c;
        Object value;
        switch (cmp.op().arity()) {
            case NONE:
                value = null;
                break;
            case ONE:
                value = cmp.values().get(0);
                break;
            default:
                value = List.copyOf(cmp.values());
                break;
        }
        return Filter.of(cmp.column(), cmp.op().symbol(), value);
    }
}
