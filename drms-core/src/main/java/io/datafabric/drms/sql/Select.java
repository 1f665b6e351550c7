package io.datafabric.drms.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A typed SELECT over one introspected table: projection, {@link Filter} predicates, keyset
 * (cursor) predicates, ORDER BY and LIMIT, rendered per {@link SqlDialect} as a {@link SqlQuery}.
 *
 * <p>Every identifier comes from the {@link TableSchema} (an unknown column fails with {@link
 * UnknownColumnException} naming the column and the table) and is quoted; every value becomes a
 * bind parameter, converted to its column's type. So no input can change the statement's shape.
 *
 * <pre>{@code
 * SqlQuery q = Select.from(orders)
 *         .columns(List.of("id", "amount", "updated_at"))
 *         .where(Filter.of("amount", ">=", 100))
 *         .after(List.of("updated_at", "id"), List.of(lastTs, lastId))
 *         .orderBy(List.of("updated_at", "id"))
 *         .limit(1000)
 *         .render(dialect);
 * }</pre>
 *
 * A builder is mutable and not thread-safe; {@link #render} may be called repeatedly.
 */
public final class Select {
    /** How a value placeholder is written; the default is a JDBC {@code ?}. */
    @FunctionalInterface
    public interface Placeholder {
        /** The SQL for parameter {@code index} (1-based) compared with a column of {@code type}. */
        String render(int index, ColumnType type);
    }

    private final TableSchema schema;
    private List<Column> columns;
    private final List<Filter> where = new ArrayList<>();
    private final List<Filter> whereNotTrue = new ArrayList<>();
    private final List<String> flagAliases = new ArrayList<>();
    private final List<Filter> flagFilters = new ArrayList<>();
    private List<Column> keysetColumns;
    private List<Object> keysetValues;
    private Column lowerColumn;
    private Object lowerValue;
    private boolean lowerInclusive;
    private List<Column> keyInColumns;
    private List<List<Object>> keyInValues;
    private List<Column> orderBy = List.of();
    private boolean descending;
    private int limit;

    private Select(TableSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.columns = schema.columns();
    }

    public static Select from(TableSchema schema) {
        return new Select(schema);
    }

    /** The columns to return, in this order (default: all, in table order). */
    public Select columns(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a select needs at least one column");
        }
        this.columns = schema.columns(names);
        return this;
    }

    /** Adds a predicate; several are AND-ed. */
    public Select where(Filter filter) {
        resolve(Objects.requireNonNull(filter, "filter"));
        where.add(filter);
        return this;
    }

    /**
     * Keeps rows for which {@code filter} is false or unknown (unlike {@code NOT filter}, which
     * drops unknown rows too): e.g. rows not soft-deleted when the flag column may be null.
     */
    public Select whereNotTrue(Filter filter) {
        resolve(Objects.requireNonNull(filter, "filter"));
        whereNotTrue.add(filter);
        return this;
    }

    /**
     * Adds an output column {@code alias} that is 1 where {@code filter} is true and 0 where it is
     * false or unknown; used to learn whether a changed row still belongs to a slice.
     */
    public Select flag(String alias, Filter filter) {
        if (!Identifiers.isSimple(alias) || schema.hasColumn(alias)) {
            throw new IllegalArgumentException(
                    "flag alias must be a simple name not used by "
                            + schema.table()
                            + ": "
                            + alias);
        }
        resolve(Objects.requireNonNull(filter, "filter"));
        flagAliases.add(alias);
        flagFilters.add(filter);
        return this;
    }

    /** Keyset predicate: rows whose {@code (columns)} sort strictly after {@code (values)}. */
    public Select after(List<String> names, List<?> values) {
        if (names.isEmpty() || names.size() != values.size()) {
            throw new IllegalArgumentException(
                    "keyset needs one value per column: " + names + " / " + values);
        }
        List<Column> cols = schema.columns(names);
        List<Object> vals = new ArrayList<>(values.size());
        for (int i = 0; i < cols.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException(
                        "keyset value for " + cols.get(i).name() + " is null");
            }
            vals.add(coerce(cols.get(i), values.get(i)));
        }
        this.keysetColumns = cols;
        this.keysetValues = vals;
        return this;
    }

    /** {@code column >= value} ({@code inclusive}) or {@code column > value}. */
    public Select lowerBound(String column, Object value, boolean inclusive) {
        Column c = schema.column(column);
        if (value == null) {
            throw new IllegalArgumentException("lower bound for " + c.name() + " is null");
        }
        this.lowerColumn = c;
        this.lowerValue = coerce(c, value);
        this.lowerInclusive = inclusive;
        return this;
    }

    /** Rows whose {@code (columns)} equal one of {@code keys}; no keys selects nothing. */
    public Select keyIn(List<String> names, List<? extends List<?>> keys) {
        List<Column> cols = schema.columns(names);
        List<List<Object>> vals = new ArrayList<>(keys.size());
        for (List<?> key : keys) {
            if (key.size() != cols.size()) {
                throw new IllegalArgumentException("key " + key + " does not match " + names);
            }
            List<Object> k = new ArrayList<>(key.size());
            for (int i = 0; i < cols.size(); i++) {
                if (key.get(i) == null) {
                    throw new IllegalArgumentException(
                            "key value for " + names.get(i) + " is null");
                }
                k.add(coerce(cols.get(i), key.get(i)));
            }
            vals.add(k);
        }
        this.keyInColumns = cols;
        this.keyInValues = vals;
        return this;
    }

    public Select orderBy(List<String> names) {
        this.orderBy = schema.columns(names);
        this.descending = false;
        return this;
    }

    public Select orderByDescending(List<String> names) {
        this.orderBy = schema.columns(names);
        this.descending = true;
        return this;
    }

    public Select limit(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + rows);
        }
        this.limit = rows;
        return this;
    }

    /** The output columns: the projection, then the flags (as BOOLEAN-like 0/1 integers). */
    public List<Column> outputColumns() {
        List<Column> out = new ArrayList<>(columns);
        for (String a : flagAliases) {
            out.add(new Column(a, ColumnType.INTEGER, false));
        }
        return out;
    }

    public TableSchema schema() {
        return schema;
    }

    public SqlQuery render(SqlDialect dialect) {
        return render(dialect, (i, t) -> "?");
    }

    /** Renders with custom placeholders (PostgreSQL COPY cannot take bind parameters). */
    public SqlQuery render(SqlDialect dialect, Placeholder placeholder) {
        Renderer r = new Renderer(dialect, placeholder);
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dialect.quote(columns.get(i).name()));
        }
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < flagAliases.size(); i++) {
            select.append(", CASE WHEN ");
            r.filter(flagFilters.get(i), select);
            select.append(" THEN 1 ELSE 0 END AS ").append(dialect.quote(flagAliases.get(i)));
        }
        sql.append(select).append(" FROM ").append(dialect.qualify(schema.table()));
        List<StringBuilder> conds = new ArrayList<>();
        for (Filter f : where) {
            StringBuilder c = new StringBuilder();
            r.filter(f, c);
            conds.add(c);
        }
        for (Filter f : whereNotTrue) {
            StringBuilder c = new StringBuilder("(CASE WHEN ");
            r.filter(f, c);
            c.append(" THEN 1 ELSE 0 END) = 0");
            conds.add(c);
        }
        if (lowerColumn != null) {
            StringBuilder c = new StringBuilder(dialect.quote(lowerColumn.name()));
            c.append(lowerInclusive ? " >= " : " > ");
            r.param(lowerValue, lowerColumn.type(), c);
            conds.add(c);
        }
        if (keysetColumns != null) {
            StringBuilder c = new StringBuilder();
            r.keyset(keysetColumns, keysetValues, c);
            conds.add(c);
        }
        if (keyInColumns != null) {
            StringBuilder c = new StringBuilder();
            r.keyIn(keyInColumns, keyInValues, c);
            conds.add(c);
        }
        for (int i = 0; i < conds.size(); i++) {
            sql.append(i == 0 ? " WHERE " : " AND ").append(conds.get(i));
        }
        if (!orderBy.isEmpty()) {
            sql.append(" ORDER BY ");
            for (int i = 0; i < orderBy.size(); i++) {
                sql.append(i == 0 ? "" : ", ")
                        .append(dialect.quote(orderBy.get(i).name()))
                        .append(descending ? " DESC" : "");
            }
        }
        if (limit > 0) {
            sql.append(dialect.limitClause(limit));
        }
        return new SqlQuery(sql.toString(), r.params, r.types);
    }

    private Object coerce(Column c, Object value) {
        try {
            return Values.coerce(value, c.type());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "column " + c.name() + " of " + schema.table() + ": " + e.getMessage(), e);
        }
    }

    /** Checks every column and value of the filter now, so errors surface where it is added. */
    private void resolve(Filter f) {
        new Renderer(GenericDialect.INSTANCE, (i, t) -> "?").filter(f, new StringBuilder());
    }

    private final class Renderer {
        private final SqlDialect dialect;
        private final Placeholder placeholder;
        final List<Object> params = new ArrayList<>();
        final List<ColumnType> types = new ArrayList<>();

        Renderer(SqlDialect dialect, Placeholder placeholder) {
            this.dialect = dialect;
            this.placeholder = placeholder;
        }

        void param(Object value, ColumnType type, StringBuilder sb) {
            params.add(value);
            types.add(type);
            sb.append(placeholder.render(params.size(), type));
        }

        void filter(Filter f, StringBuilder sb) {
            if (f instanceof Filter.All a) {
                group(a.filters(), " AND ", "1 = 1", sb);
            } else if (f instanceof Filter.Any a) {
                group(a.filters(), " OR ", "1 = 0", sb);
            } else if (f instanceof Filter.Not n) {
                sb.append("NOT (");
                filter(n.filter(), sb);
                sb.append(')');
            } else if (f instanceof Filter.Compare c) {
                Column col = schema.column(c.column());
                sb.append(dialect.quote(col.name())).append(' ').append(c.op().sql()).append(' ');
                param(coerce(col, c.value()), col.type(), sb);
            } else if (f instanceof Filter.In in) {
                Column col = schema.column(in.column());
                if (in.values().isEmpty()) {
                    sb.append(in.negated() ? "1 = 1" : "1 = 0");
                    return;
                }
                sb.append(dialect.quote(col.name())).append(in.negated() ? " NOT IN (" : " IN (");
                for (int i = 0; i < in.values().size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    param(coerce(col, in.values().get(i)), col.type(), sb);
                }
                sb.append(')');
            } else if (f instanceof Filter.IsNull n) {
                Column col = schema.column(n.column());
                sb.append(dialect.quote(col.name()))
                        .append(n.negated() ? " IS NOT NULL" : " IS NULL");
            } else if (f instanceof Filter.Between b) {
                Column col = schema.column(b.column());
                sb.append(dialect.quote(col.name())).append(" BETWEEN ");
                param(coerce(col, b.low()), col.type(), sb);
                sb.append(" AND ");
                param(coerce(col, b.high()), col.type(), sb);
            } else {
                Filter.Like l = (Filter.Like) f;
                Column col = schema.column(l.column());
                ColumnType.Kind k = col.type().kind();
                if (!col.type().isText() && k != ColumnType.Kind.OTHER) {
                    throw new IllegalArgumentException(
                            "'like' needs a text column but "
                                    + col.name()
                                    + " of "
                                    + schema.table()
                                    + " is "
                                    + col.type());
                }
                sb.append(dialect.quote(col.name())).append(" LIKE ");
                param(l.pattern(), ColumnType.TEXT, sb);
            }
        }

        private void group(List<Filter> parts, String op, String empty, StringBuilder sb) {
            if (parts.isEmpty()) {
                sb.append(empty);
                return;
            }
            sb.append('(');
            for (int i = 0; i < parts.size(); i++) {
                sb.append(i == 0 ? "" : op);
                filter(parts.get(i), sb);
            }
            sb.append(')');
        }

        void keyset(List<Column> cols, List<Object> vals, StringBuilder sb) {
            if (cols.size() == 1) {
                sb.append(dialect.quote(cols.get(0).name())).append(" > ");
                param(vals.get(0), cols.get(0).type(), sb);
                return;
            }
            if (dialect.supportsRowValueComparison()) {
                sb.append('(');
                for (int i = 0; i < cols.size(); i++) {
                    sb.append(i == 0 ? "" : ", ").append(dialect.quote(cols.get(i).name()));
                }
                sb.append(") > (");
                for (int i = 0; i < cols.size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    param(vals.get(i), cols.get(i).type(), sb);
                }
                sb.append(')');
                return;
            }
            // (a >= ? AND (a > ? OR (a = ? AND b > ?) ...)): the leading bound lets the
            // optimizer use an index range on the first column.
            sb.append('(').append(dialect.quote(cols.get(0).name())).append(" >= ");
            param(vals.get(0), cols.get(0).type(), sb);
            sb.append(" AND (");
            for (int i = 0; i < cols.size(); i++) {
                sb.append(i == 0 ? "" : " OR ").append('(');
                for (int j = 0; j < i; j++) {
                    sb.append(dialect.quote(cols.get(j).name())).append(" = ");
                    param(vals.get(j), cols.get(j).type(), sb);
                    sb.append(" AND ");
                }
                sb.append(dialect.quote(cols.get(i).name())).append(" > ");
                param(vals.get(i), cols.get(i).type(), sb);
                sb.append(')');
            }
            sb.append("))");
        }

        void keyIn(List<Column> cols, List<List<Object>> keys, StringBuilder sb) {
            if (keys.isEmpty()) {
                sb.append("1 = 0");
                return;
            }
            if (cols.size() == 1) {
                sb.append(dialect.quote(cols.get(0).name())).append(" IN (");
                for (int i = 0; i < keys.size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    param(keys.get(i).get(0), cols.get(0).type(), sb);
                }
                sb.append(')');
                return;
            }
            if (dialect.supportsRowValueIn()) {
                sb.append('(');
                for (int i = 0; i < cols.size(); i++) {
                    sb.append(i == 0 ? "" : ", ").append(dialect.quote(cols.get(i).name()));
                }
                sb.append(") IN (");
                for (int k = 0; k < keys.size(); k++) {
                    sb.append(k == 0 ? "(" : ", (");
                    for (int i = 0; i < cols.size(); i++) {
                        sb.append(i == 0 ? "" : ", ");
                        param(keys.get(k).get(i), cols.get(i).type(), sb);
                    }
                    sb.append(')');
                }
                sb.append(')');
                return;
            }
            sb.append('(');
            for (int k = 0; k < keys.size(); k++) {
                sb.append(k == 0 ? "(" : " OR (");
                for (int i = 0; i < cols.size(); i++) {
                    sb.append(i == 0 ? "" : " AND ")
                            .append(dialect.quote(cols.get(i).name()))
                            .append(" = ");
                    param(keys.get(k).get(i), cols.get(i).type(), sb);
                }
                sb.append(')');
            }
            sb.append(')');
        }
    }
}
