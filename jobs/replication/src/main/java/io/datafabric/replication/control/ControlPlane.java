package io.datafabric.replication.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import io.datafabric.drms.graph.Consumer;
import io.datafabric.drms.graph.Dataset;
import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.GraphParser;
import io.datafabric.drms.graph.GraphWriter;
import io.datafabric.drms.graph.SliceDataset;
import io.datafabric.drms.graph.TableDataset;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code drms} schema in PostgreSQL: the graph the job runs, every version of it, and the task
 * log. The CLI writes the graph; the job reads it and writes tasks; the api may change consumer
 * statuses.
 */
public final class ControlPlane implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Serializes concurrent applies (any constant distinct from other parts' locks). */
    private static final long APPLY_LOCK = 0x64726d73L;

    private final JdbcSettings jdbc;

    public ControlPlane(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    public JdbcSettings jdbc() {
        return jdbc;
    }

    /** Creates or upgrades the {@code drms} schema. */
    public void migrate() {
        Migrations.apply(jdbc, "drms");
    }

    public Connection connect() throws SQLException {
        return jdbc.connect();
    }

    /**
     * Writes a validated graph as the new current version, in one transaction: the version row
     * (who, when, the file, the diff) and the connections, datasets and consumers it holds.
     */
    public GraphVersion apply(String source, DatasetGraph graph, String user, Long rollbackOf)
            throws SQLException {
        ObjectNode tree = GraphWriter.toTree(graph);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_xact_lock(" + APPLY_LOCK + ")");
                }
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
                c.commit();
                return new GraphVersion(version, user, null, diff, rollbackOf, source);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } catch (IOException e) {
                c.rollback();
                throw new SQLException("stored graph is not JSON: " + e.getMessage(), e);
            }
        }
    }

    private void writeEntries(Connection c, DatasetGraph graph, long version) throws SQLException {
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

    private static void deleteMissing(Connection c, String table, java.util.Set<String> keep)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM drms." + table + " WHERE NOT (name = ANY (?))")) {
            ps.setArray(1, c.createArrayOf("text", keep.toArray()));
            ps.executeUpdate();
        }
    }

    /** Every applied version, newest first, without the file text. */
    public List<GraphVersion> history() throws SQLException {
        List<GraphVersion> out = new ArrayList<>();
        try (Connection c = connect();
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

    /** One version with the file text as it was applied. */
    public Optional<GraphVersion> version(long version) throws SQLException {
        try (Connection c = connect();
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
    public ControlSnapshot read() throws SQLException {
        try (Connection c = connect()) {
            return read(c);
        }
    }

    /** As {@link #read()}, on a connection the caller keeps. */
    public ControlSnapshot read(Connection c) throws SQLException {
        ObjectNode tree = JSON.createObjectNode();
        long version = 0;
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

    /** Sets a consumer's status (as the api does on approval); false if no such consumer. */
    public boolean setStatus(String consumer, String status, String by) throws SQLException {
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE drms.consumers SET status = ?, status_changed_by = ?,"
                                        + " status_changed_at = now() WHERE name = ?")) {
            ps.setString(1, status);
            ps.setString(2, by);
            ps.setString(3, consumer);
            return ps.executeUpdate() == 1;
        }
    }

    /** Records the start of a task; returns its id. */
    public long taskStarted(
            Connection c, String edge, String kind, String runId, int attempt, String cursorFrom)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO drms.tasks(edge_id, started_at, status, attempt, kind, run_id,"
                                + " cursor_from) VALUES (?, ?, 'running', ?, ?, ?, ?) RETURNING"
                                + " id")) {
            ps.setString(1, edge);
            ps.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
            ps.setInt(3, attempt);
            ps.setString(4, kind);
            ps.setString(5, runId);
            ps.setString(6, cursorFrom);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Records the end of a task. */
    public void taskFinished(Connection c, TaskRecord t) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE drms.tasks SET finished_at = ?, status = ?, rows = ?, cursor_from ="
                                + " ?, cursor_to = ?, checksum = ?, attempt = ?, error = ?,"
                                + " converged = ? WHERE id = ?")) {
            ps.setTimestamp(1, new Timestamp(System.currentTimeMillis()));
            ps.setString(2, t.status());
            ps.setLong(3, t.rows());
            ps.setString(4, t.cursorFrom());
            ps.setString(5, t.cursorTo());
            ps.setString(6, t.checksum());
            ps.setInt(7, t.attempt());
            ps.setString(8, t.error() == null ? null : truncate(t.error(), 4000));
            ps.setBoolean(9, t.converged());
            ps.setLong(10, t.id());
            ps.executeUpdate();
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
