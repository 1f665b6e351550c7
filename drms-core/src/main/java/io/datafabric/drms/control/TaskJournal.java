package io.datafabric.drms.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The task journal {@code drms.tasks}: the job writes one row per task attempt ({@link #started},
 * then {@link #finished}); the api and the bounded {@code replicate} read it.
 */
public final class TaskJournal {
    /** Error texts are cut to this many characters. */
    static final int MAX_ERROR = 4000;

    private final ConnectionSource connections;

    TaskJournal(ConnectionSource connections) {
        this.connections = connections;
    }

    /**
     * Records the start of an attempt (status {@code running}); returns its id.
     *
     * @param kind what was requested: {@code incremental}, {@code snapshot} or {@code converge}
     * @param runId the bounded run, or null
     */
    public long started(String edge, String kind, String runId, int attempt) throws SQLException {
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO drms.tasks(edge_id, started_at, status, attempt,"
                                        + " kind, run_id) VALUES (?, ?, 'running', ?, ?, ?)"
                                        + " RETURNING id")) {
            ps.setString(1, edge);
            ps.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
            ps.setInt(3, attempt);
            ps.setString(4, kind);
            ps.setString(5, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Records the end of an attempt. */
    public void finished(TaskRecord t) throws SQLException {
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE drms.tasks SET finished_at = ?, status = ?, kind ="
                                        + " coalesce(?, kind), rows = ?, cursor_from = ?, cursor_to"
                                        + " = ?, checksum = ?, attempt = ?, error = ?, converged ="
                                        + " ? WHERE id = ?")) {
            ps.setTimestamp(1, new Timestamp(System.currentTimeMillis()));
            ps.setString(2, t.status());
            ps.setString(3, t.kind());
            ps.setLong(4, t.rows());
            ps.setString(5, t.cursorFrom());
            ps.setString(6, t.cursorTo());
            ps.setString(7, t.checksum());
            ps.setInt(8, t.attempt());
            String error = t.error();
            ps.setString(
                    9,
                    error == null || error.length() <= MAX_ERROR
                            ? error
                            : error.substring(0, MAX_ERROR));
            ps.setBoolean(10, t.converged());
            ps.setLong(11, t.id());
            ps.executeUpdate();
        }
    }

    /** The newest {@code limit} attempts of one consumer (edge), newest first. */
    public List<TaskEntry> ofConsumer(String edge, int limit) throws SQLException {
        return query(" WHERE edge_id = ?", edge, limit);
    }

    /** The attempts of one bounded run, newest first. */
    public List<TaskEntry> ofRun(String runId) throws SQLException {
        return query(" WHERE run_id = ?", runId, Integer.MAX_VALUE);
    }

    private List<TaskEntry> query(String where, String arg, int limit) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        List<TaskEntry> out = new ArrayList<>();
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, edge_id, started_at, finished_at, status, kind, rows,"
                                        + " cursor_from, cursor_to, checksum, attempt, error,"
                                        + " run_id, converged FROM drms.tasks"
                                        + where
                                        + " ORDER BY started_at DESC, id DESC LIMIT ?")) {
            ps.setString(1, arg);
            ps.setLong(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp fin = rs.getTimestamp(4);
                    out.add(
                            new TaskEntry(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getTimestamp(3).toInstant(),
                                    fin == null ? null : fin.toInstant(),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getLong(7),
                                    rs.getString(8),
                                    rs.getString(9),
                                    rs.getString(10),
                                    rs.getInt(11),
                                    rs.getString(12),
                                    rs.getString(13),
                                    rs.getBoolean(14)));
                }
            }
        }
        return out;
    }

    /**
     * The approved consumers without a converged task in the bounded run {@code runId}, by name:
     * empty when the run reached its goal.
     */
    public List<String> approvedNotConverged(String runId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT name FROM drms.consumers WHERE status = 'approved' AND NOT"
                                        + " EXISTS (SELECT 1 FROM drms.tasks t WHERE t.run_id = ?"
                                        + " AND t.edge_id = consumers.name AND t.converged) ORDER"
                                        + " BY name")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
