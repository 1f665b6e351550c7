package io.datafabric.drms.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A rendered statement: SQL text with {@code ?} placeholders and the values to bind, in order.
 * Values never appear in {@code sql}.
 *
 * @param sql the statement text
 * @param params the values, already converted to the Java class of their column's type
 * @param paramTypes the column type each value is compared with (null entries: bind by class)
 */
public record SqlQuery(String sql, List<Object> params, List<ColumnType> paramTypes) {

    public SqlQuery {
        Objects.requireNonNull(sql, "sql");
        params = Collections.unmodifiableList(new ArrayList<>(params));
        paramTypes =
                paramTypes == null
                        ? Collections.nCopies(params.size(), null)
                        : Collections.unmodifiableList(new ArrayList<>(paramTypes));
        if (paramTypes.size() != params.size()) {
            throw new IllegalArgumentException("one type per parameter expected");
        }
    }

    public SqlQuery(String sql, List<Object> params) {
        this(sql, params, null);
    }

    /** Binds the parameters to {@code ps} (prepared from {@link #sql()}) the dialect's way. */
    public void bind(PreparedStatement ps, SqlDialect dialect) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ColumnType t = paramTypes.get(i);
            Object v = params.get(i);
            if (t == null) {
                ps.setObject(i + 1, v);
            } else {
                dialect.bind(ps, i + 1, t, v);
            }
        }
    }

    @Override
    public String toString() {
        return sql + " " + params;
    }
}
