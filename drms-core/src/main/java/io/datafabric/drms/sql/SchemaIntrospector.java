package io.datafabric.drms.sql;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a table's columns and primary key through {@link DatabaseMetaData}. Table names are matched
 * exactly first, then ignoring case when exactly one table matches (databases fold unquoted names
 * differently).
 */
public final class SchemaIntrospector {
    private final SqlDialect dialect;

    public SchemaIntrospector(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The table's schema, or empty when no such table (or view) exists. */
    public Optional<TableSchema> find(Connection connection, TableName table) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        SqlDialect.MetadataScope scope = dialect.metadataScope(connection, table);
        Optional<String> exact = resolveTableName(md, scope, table.name());
        if (exact.isEmpty()) {
            return Optional.empty();
        }
        String name = exact.get();
        TableName resolved = new TableName(table.schema(), name);
        List<Column> columns = new ArrayList<>();
        TreeMap<Integer, Column> byPosition = new TreeMap<>();
        try (ResultSet rs =
                md.getColumns(scope.catalog(), escape(md, scope.schema()), escape(md, name), "%")) {
            while (rs.next()) {
                if (!name.equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                int digits = rs.getInt("DECIMAL_DIGITS");
                if (rs.wasNull()) {
                    digits = -1;
                }
                JdbcColumn meta =
                        new JdbcColumn(
                                rs.getInt("DATA_TYPE"),
                                rs.getString("TYPE_NAME"),
                                rs.getInt("COLUMN_SIZE"),
                                digits);
                boolean nullable = rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
                Column c = new Column(rs.getString("COLUMN_NAME"), dialect.typeOf(meta), nullable);
                byPosition.put(rs.getInt("ORDINAL_POSITION"), c);
            }
        }
        columns.addAll(byPosition.values());
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        if (dialect instanceof MariaDbDialect) {
            columns = markMariaDbJson(connection, scope, name, columns);
        }
        TreeMap<Integer, String> key = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(scope.catalog(), scope.schema(), name)) {
            while (rs.next()) {
                key.put((int) rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return Optional.of(new TableSchema(resolved, columns, new ArrayList<>(key.values())));
    }

    /** Like {@link #find} but a missing table is an error naming it. */
    public TableSchema require(Connection connection, TableName table) throws SQLException {
        return find(connection, table)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "table "
                                                + table
                                                + " does not exist in "
                                                + describe(connection)));
    }

    private static String describe(Connection c) {
        try {
            return c.getMetaData().getURL();
        } catch (SQLException e) {
            return "the database";
        }
    }

    private Optional<String> resolveTableName(
            DatabaseMetaData md, SqlDialect.MetadataScope scope, String name) throws SQLException {
        Set<String> all = new HashSet<>();
        try (ResultSet rs = md.getTables(scope.catalog(), escape(md, scope.schema()), "%", null)) {
            while (rs.next()) {
                all.add(rs.getString("TABLE_NAME"));
            }
        }
        if (all.contains(name)) {
            return Optional.of(name);
        }
        List<String> folded =
                all.stream()
                        .filter(
                                t ->
                                        t.toLowerCase(Locale.ROOT)
                                                .equals(name.toLowerCase(Locale.ROOT)))
                        .toList();
        if (folded.size() > 1) {
            throw new IllegalArgumentException(
                    "table name " + name + " is ambiguous: " + String.join(", ", folded));
        }
        return folded.stream().findFirst();
    }

    private static String escape(DatabaseMetaData md, String pattern) throws SQLException {
        if (pattern == null) {
            return null;
        }
        String esc = md.getSearchStringEscape();
        if (esc == null || esc.isEmpty()) {
            return pattern;
        }
        return pattern.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    /**
     * MariaDB reports JSON columns as LONGTEXT; its JSON alias adds a {@code json_valid(col)} check
     * constraint named after the column, which is how they are recognised here.
     */
    private static List<Column> markMariaDbJson(
            Connection connection, SqlDialect.MetadataScope scope, String table, List<Column> cols)
            throws SQLException {
        Set<String> json = new HashSet<>();
        String sql =
                "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                        + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, scope.catalog());
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String clause = rs.getString(2);
                    if (clause != null
                            && clause.toLowerCase(Locale.ROOT).startsWith("json_valid(")) {
                        json.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            // MySQL before 8.0.16 has no CHECK_CONSTRAINTS view; its JSON type is reported as
            // JSON anyway.
            return cols;
        }
        List<Column> out = new ArrayList<>(cols.size());
        for (Column c : cols) {
            out.add(
                    json.contains(c.name()) && c.type().kind() == ColumnType.Kind.TEXT
                            ? new Column(c.name(), ColumnType.JSON, c.nullable())
                            : c);
        }
        return out;
    }
}
