package io.datafabric.drms.control;

import io.datafabric.drms.graph.ColumnShape;
import io.datafabric.drms.graph.ConnectionSpec;
import io.datafabric.drms.graph.SchemaLookup;
import io.datafabric.drms.graph.TableShape;
import io.datafabric.drms.graph.TypeFamily;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads table shapes from the databases of the graph through JDBC metadata, for {@code drms
 * apply}/{@code validate} and for the job's start-up check.
 */
public final class JdbcSchemaLookup implements SchemaLookup {
    private final Map<String, String> env;

    public JdbcSchemaLookup(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Optional<TableShape> describe(ConnectionSpec spec, String table)
            throws SchemaLookupException {
        try (Connection c = open(spec)) {
            return describe(c, spec, table);
        } catch (SQLException e) {
            throw new SchemaLookupException(spec.url() + ": " + e.getMessage(), e);
        }
    }

    private Connection open(ConnectionSpec spec) throws SQLException {
        Properties props = new Properties();
        if (!spec.user().isEmpty()) {
            props.setProperty("user", spec.user());
        }
        if (!spec.passwordEnv().isEmpty()) {
            String pw = env.get(spec.passwordEnv());
            if (pw == null) {
                throw new SQLException(
                        "password-env names "
                                + spec.passwordEnv()
                                + " but that variable is not set");
            }
            props.setProperty("password", pw);
        }
        DriverManager.setLoginTimeout(10);
        return DriverManager.getConnection(spec.url(), props);
    }

    /** The shape of a table on an open connection; empty when it does not exist. */
    public static Optional<TableShape> describe(Connection c, ConnectionSpec spec, String table)
            throws SQLException {
        String schema = null;
        String name = table;
        int dot = table.indexOf('.');
        if (dot > 0) {
            schema = table.substring(0, dot);
            name = table.substring(dot + 1);
        }
        boolean mariadb = "mariadb".equals(spec.dialect()) || spec.url().startsWith("jdbc:mariadb");
        String catalog = mariadb ? (schema == null ? c.getCatalog() : schema) : null;
        String schemaPattern = mariadb ? null : (schema == null ? c.getSchema() : schema);
        DatabaseMetaData md = c.getMetaData();
        for (String candidate : List.of(name, name.toLowerCase(Locale.ROOT))) {
            List<ColumnShape> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns(catalog, schemaPattern, candidate, null)) {
                while (rs.next()) {
                    if (!candidate.equals(rs.getString("TABLE_NAME"))) {
                        continue; // getColumns takes patterns: '_' matches any character
                    }
                    String typeName = rs.getString("TYPE_NAME");
                    int jdbcType = rs.getInt("DATA_TYPE");
                    TypeFamily family = TypeFamily.ofJdbcType(jdbcType);
                    if (typeName != null
                            && typeName.toLowerCase(Locale.ROOT).startsWith("tinyint(1)")) {
                        family = TypeFamily.BOOLEAN;
                    }
                    columns.add(
                            new ColumnShape(
                                    rs.getString("COLUMN_NAME"),
                                    family,
                                    typeName,
                                    rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
                }
            }
            if (columns.isEmpty()) {
                continue;
            }
            TreeMap<Integer, String> pk = new TreeMap<>();
            try (ResultSet rs = md.getPrimaryKeys(catalog, schemaPattern, candidate)) {
                while (rs.next()) {
                    pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            return Optional.of(new TableShape(columns, List.copyOf(pk.values())));
        }
        return Optional.empty();
    }
}
