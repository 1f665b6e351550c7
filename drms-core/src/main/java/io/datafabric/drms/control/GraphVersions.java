package io.datafabric.drms.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datafabric.drms.graph.Consumer;
import io.datafabric.drms.graph.Dataset;
import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.GraphParser;
import io.datafabric.drms.graph.GraphProblem;
import io.datafabric.drms.graph.GraphValidationException;
import io.datafabric.drms.graph.GraphValidator;
import io.datafabric.drms.graph.GraphWriter;
import io.datafabric.drms.graph.SchemaLookup;
import io.datafabric.drms.graph.SliceDataset;
import io.datafabric.drms.graph.TableDataset;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The versions of the graph in {@code drms.graph_versions}, and the current graph in {@code
 * drms.connections}, {@code drms.datasets} and {@code drms.consumers}. Every write is a new
 * numbered version (who, when, the text applied, the diff against the previous one) written in one
 * transaction with the entries it holds; concurrent writers are serialized by an advisory lock.
 */
public final class GraphVersions {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Serializes concurrent writes of the graph (any constant distinct from other parts' locks).
     */
    private static final long APPLY_LOCK = 0x64726d73L;

    private final ConnectionSource connections;

    GraphVersions(ConnectionSource connections) {
        this.connections = connections;
    }

    /**
     * Writes a validated graph as the new current version: the version row and the connections,
     * datasets and consumers it holds (statuses as the graph says). Entries the graph lacks are
     * removed.
     *
     * @param source the text applied (a graph file), kept for history and rollback
     * @param user who applies
     * @param rollbackOf the version this one restores, or null
     */
    public GraphVersion apply(String source, DatasetGraph graph, String user, Long rollbackOf)
            throws SQLException {
        try (Connection c = connections.open()) {
            return inLockedTransaction(c, () -> write(c, source, graph, user, rollbackOf));
        }
    }

    /**
     * Edits the current graph (with the consumers' current statuses) as a JSON tree in the graph
     * file's shape, validates the result and writes it as a new version, all under the write lock
     * so that concurrent edits never lose one another.
     *
     * @param edit changes the tree (a copy) in place or returns a new one
     * @param lookup checks tables and columns against the databases; null checks structure only
     * @throws GraphValidationException with every problem when the edited graph is invalid; nothing
     *     is written then
     */
    public GraphVersion edit(String user, UnaryOperator<ObjectNode> edit, SchemaLookup lookup)
            throws SQLException {
        try (Connection c = connections.open()) {
            return inLockedTransaction(
                    c,
                    () -> {
                        ControlSnapshot now = current(c);
                        ObjectNode tree = edit.apply(GraphWriter.toTree(now.graph()).deepCopy());
                        GraphParser.Result parsed = GraphParser.parse(tree);
                        List<GraphProblem> problems = GraphValidator.validate(parsed, lookup);
                        if (!problems.isEmpty()) {
                            throw new GraphValidationException(problems);
                        }
                        // JSON is YAML: the stored text re-parses for a rollback like a file does.
                        return write(c, GraphWriter.json(tree), parsed.graph(), user, null);
                    });
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException, IOException;
    }

    private static <T> T inLockedTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + APPLY_LOCK + ")");
            }
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } catch (IOException e) {
            c.rollback();
            throw new SQLException("stored graph is not JSON: " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(true);
        }
    }

    private GraphVersion write(
            Connection c, String source, DatasetGraph graph, String user, Long rollbackOf)
            throws SQLException, IOException {
        ObjectNode tree = GraphWriter.toTree(graph);
        long version = 1;
        JsonNode previous = null;
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT version, graph::text FROM drms.graph_versions"
                                        + " ORDER BY version DESC LIMIT 1")) {
            if (rs.next()) {
                version = rs.getLong(1) + 1;
                previous = JSON.readTree(rs.getString(2));
            }
        }
        String diff = GraphDiff.text(GraphDiff.between(previous, tree));
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO drms.graph_versions(version, applied_by, source, graph,"
                                + " diff, rollback_of) VALUES (?, ?, ?, ?::jsonb, ?, ?)")) {
            ps.setLong(1, version);
            ps.setString(2, user);
            ps.setString(3, source);
            ps.setString(4, GraphWriter.json(tree));
            ps.setString(5, diff);
            if (rollbackOf == null) {
                ps.setNull(6, Types.BIGINT);
            } else {
                ps.setLong(6, rollbackOf);
            }
            ps.executeUpdate();
        }
        writeEntries(c, graph, version);
        return new GraphVersion(version, user, null, diff, rollbackOf, source);
    }

    private static void writeEntries(Connection c, DatasetGraph graph, long version)
            throws SQLException {
        deleteMissing(c, "consumers", graph.consumers().keySet());
        deleteMissing(c, "datasets", graph.datasets().keySet());
        deleteMissing(c, "connections", graph.connections().keySet());
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO drms.connections(name, dialect, url, user_name, password_env,"
                                + " spec, version, updated_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?,"
                                + " now()) ON CONFLICT (name) DO UPDATE SET dialect ="
                                + " EXCLUDED.dialect, url = EXCLUDED.url, user_name ="
                                + " EXCLUDED.user_name, password_env = EXCLUDED.password_env, spec"
                                + " = EXCLUDED.spec, version = EXCLUDED.version, updated_at ="
                                + " CASE WHEN connections.spec = EXCLUDED.spec THEN"
                                + " connections.updated_at ELSE now() END")) {
            for (var conn : graph.connections().values()) {
                ps.setString(1, conn.name());
                ps.setString(2, conn.dialect());
                ps.setString(3, conn.url());
                ps.setString(4, conn.user());
                ps.setString(5, conn.passwordEnv());
                ps.setString(6, GraphWriter.json(GraphWriter.connection(conn)));
                ps.setLong(7, version);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO drms.datasets(name, kind, connection, table_name, parent, spec,"
                                + " version, updated_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, now())"
                                + " ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind,"
                                + " connection = EXCLUDED.connection, table_name ="
                                + " EXCLUDED.table_name, parent = EXCLUDED.parent, spec ="
                                + " EXCLUDED.spec, version = EXCLUDED.version, updated_at = CASE"
                                + " WHEN datasets.spec = EXCLUDED.spec THEN datasets.updated_at"
                                + " ELSE now() END")) {
            for (Dataset d : graph.datasets().values()) {
                ps.setString(1, d.name());
                if (d instanceof TableDataset t) {
                    ps.setString(2, "table");
                    ps.setString(3, t.connection());
                    ps.setString(4, t.table());
                    ps.setNull(5, Types.VARCHAR);
                } else {
                    ps.setString(2, "slice");
                    ps.setNull(3, Types.VARCHAR);
                    ps.setNull(4, Types.VARCHAR);
                    ps.setString(5, ((SliceDataset) d).parent());
                }
                ps.setString(6, GraphWriter.json(GraphWriter.dataset(d)));
                ps.setLong(7, version);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO drms.consumers(name, dataset, target_connection, target_table,"
                                + " schedule_ms, mode, status, rules_fingerprint, spec, version,"
                                + " updated_at, status_changed_by, status_changed_at) VALUES (?, ?,"
                                + " ?, ?, ?, ?, ?, ?, ?::jsonb, ?, now(), 'apply', now()) ON"
                                + " CONFLICT (name) DO UPDATE SET dataset = EXCLUDED.dataset,"
                                + " target_connection = EXCLUDED.target_connection, target_table ="
                                + " EXCLUDED.target_table, schedule_ms = EXCLUDED.schedule_ms, mode"
                                + " = EXCLUDED.mode, rules_fingerprint ="
                                + " EXCLUDED.rules_fingerprint, spec = EXCLUDED.spec, version ="
                                + " EXCLUDED.version, updated_at = CASE WHEN consumers.spec ="
                                + " EXCLUDED.spec THEN consumers.updated_at ELSE now() END,"
                                + " status_changed_at = CASE WHEN consumers.status ="
                                + " EXCLUDED.status THEN consumers.status_changed_at ELSE now()"
                                + " END, status_changed_by = CASE WHEN consumers.status ="
                                + " EXCLUDED.status THEN consumers.status_changed_by ELSE 'apply'"
                                + " END, status = EXCLUDED.status")) {
            for (Consumer con : graph.consumers().values()) {
                ps.setString(1, con.name());
                ps.setString(2, con.dataset());
                ps.setString(3, con.target().connection());
                ps.setString(4, con.target().table());
                ps.setLong(5, con.schedule().toMillis());
                ps.setString(6, con.mode().yamlName());
                ps.setString(7, con.status().sqlName());
                ps.setString(8, graph.resolve(con.name()).rulesFingerprint());
                ps.setString(9, GraphWriter.json(GraphWriter.consumer(con)));
                ps.setLong(10, version);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void deleteMissing(Connection c, String table, Set<String> keep)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM drms." + table + " WHERE NOT (name = ANY (?))")) {
            ps.setArray(1, c.createArrayOf("text", keep.toArray()));
            ps.executeUpdate();
        }
    }

    /** Every applied version, newest first, without the applied text. */
    public List<GraphVersion> history() throws SQLException {
        List<GraphVersion> out = new ArrayList<>();
        try (Connection c = connections.open();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT version, applied_by, applied_at, diff, rollback_of FROM"
                                        + " drms.graph_versions ORDER BY version DESC")) {
            while (rs.next()) {
                long rb = rs.getLong(5);
                out.add(
                        new GraphVersion(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getTimestamp(3).toInstant(),
                                rs.getString(4),
                                rs.wasNull() ? null : rb,
                                null));
            }
        }
        return out;
    }

    /** One version with the text as it was applied. */
    public Optional<GraphVersion> version(long version) throws SQLException {
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT version, applied_by, applied_at, diff, rollback_of, source"
                                        + " FROM drms.graph_versions WHERE version = ?")) {
            ps.setLong(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long rb = rs.getLong(5);
                return Optional.of(
                        new GraphVersion(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getTimestamp(3).toInstant(),
                                rs.getString(4),
                                rs.wasNull() ? null : rb,
                                rs.getString(6)));
            }
        }
    }

    /** The current graph, with statuses as the consumers table holds them now. */
    public ControlSnapshot current() throws SQLException {
        try (Connection c = connections.open()) {
            return current(c);
        }
    }

    /** As {@link #current()}, on a connection the caller keeps (and may hold a transaction on). */
    public ControlSnapshot current(Connection c) throws SQLException {
        ObjectNode tree = JSON.createObjectNode();
        long version;
        try (Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery("SELECT coalesce(max(version), 0) FROM drms.graph_versions")) {
                rs.next();
                version = rs.getLong(1);
            }
            section(
                    st,
                    tree,
                    "connections",
                    "SELECT name, spec::text FROM drms.connections",
                    Map.of());
            section(st, tree, "datasets", "SELECT name, spec::text FROM drms.datasets", Map.of());
            section(
                    st,
                    tree,
                    "consumers",
                    "SELECT name, spec::text, status FROM drms.consumers",
                    Map.of("status", 3));
        }
        GraphParser.Result parsed = GraphParser.parse(tree);
        return new ControlSnapshot(version, parsed.graph(), parsed.problems());
    }

    private static void section(
            Statement st, ObjectNode tree, String name, String sql, Map<String, Integer> overrides)
            throws SQLException {
        ObjectNode section = tree.putObject(name);
        try (ResultSet rs = st.executeQuery(sql + " ORDER BY name")) {
            while (rs.next()) {
                try {
                    ObjectNode spec = (ObjectNode) JSON.readTree(rs.getString(2));
                    for (Map.Entry<String, Integer> o : overrides.entrySet()) {
                        spec.put(o.getKey(), rs.getString(o.getValue()));
                    }
                    spec.remove("approved");
                    spec.remove("paused");
                    section.set(rs.getString(1), spec);
                } catch (IOException e) {
                    throw new SQLException(
                            "drms." + name + " row " + rs.getString(1) + " holds invalid JSON", e);
                }
            }
        }
    }
}
