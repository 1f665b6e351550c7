package io.datafabric.usage.notify;

import io.datafabric.common.jdbc.JdbcSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code usage.notified_files}: the durable record of the files announced on one queue, written
 * before a message can be acknowledged, read when a deployment starts without Flink state. Keeps
 * one connection and reopens it after an error.
 */
final class NotifiedFiles implements AutoCloseable {
    private static final String RECORD =
            "INSERT INTO usage.notified_files AS n (path, input, size, mtime, correlation_id,"
                    + " owner) VALUES (?, ?, ?, to_timestamp(? / 1000.0), ?, ?)"
                    + " ON CONFLICT (path) DO UPDATE SET input = excluded.input,"
                    + " size = excluded.size, mtime = excluded.mtime,"
                    + " correlation_id = excluded.correlation_id, owner = excluded.owner,"
                    + " notified_at = now()";
    private static final String OPEN =
            "SELECT n.path, n.size, n.correlation_id FROM usage.notified_files n"
                    + " LEFT JOIN usage.files f ON f.path = n.path"
                    + " WHERE n.input = ? AND f.status IS DISTINCT FROM 'completed'"
                    + " ORDER BY n.notified_at, n.path";

    /** An announced file that is not completed. */
    record Open(String path, long size, String correlationId) {}

    private final JdbcSettings jdbc;
    private final String input;
    private Connection connection;

    NotifiedFiles(JdbcSettings jdbc, String input) {
        this.jdbc = jdbc;
        this.input = input;
    }

    /** Records an announced file (committed when this returns). */
    void record(String path, long size, long mtimeMillis, String correlationId, String owner)
            throws SQLException {
        try (PreparedStatement st = connection().prepareStatement(RECORD)) {
            st.setString(1, path);
            st.setString(2, input);
            st.setLong(3, size);
            st.setLong(4, mtimeMillis);
            st.setString(5, correlationId);
            st.setString(6, owner);
            st.executeUpdate();
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** The announced files of this input that {@code usage.files} does not show as completed. */
    List<Open> open() throws SQLException {
        List<Open> out = new ArrayList<>();
        try (PreparedStatement st = connection().prepareStatement(OPEN)) {
            st.setString(1, input);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Open(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = jdbc.connect();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // dropped because it failed; nothing more to do
            } finally {
                connection = null;
            }
        }
    }
}
