package io.datafabric.usage.read;

import io.datafabric.common.jdbc.JdbcSettings;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the durable "already processed" record, {@code usage.files} and {@code usage.file_splits}.
 * Keeps one connection and reopens it after an error.
 */
public final class FileRegistry implements AutoCloseable {
    private static final int BATCH = 1000;

    private final JdbcSettings jdbc;
    private Connection connection;

    public FileRegistry(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    /** What PostgreSQL knows about each of the paths (absent paths are not in the result). */
    public Map<String, KnownFile> lookup(Collection<String> paths) throws SQLException {
        Map<String, KnownFile> known = new HashMap<>();
        if (paths.isEmpty()) {
            return known;
        }
        List<String> all = new ArrayList<>(paths);
        try {
            Connection c = connection();
            for (int from = 0; from < all.size(); from += BATCH) {
                List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
                lookupBatch(c, batch, known);
            }
            return known;
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Modification time (epoch ms) of the oldest file not completed, or -1 when none. */
    public long oldestOpenFileMtime() throws SQLException {
        try (PreparedStatement st =
                        connection()
                                .prepareStatement(
                                        "SELECT (extract(epoch FROM min(mtime)) * 1000)::bigint"
                                                + " FROM usage.files WHERE status <> 'completed'");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? -1 : v;
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private static void lookupBatch(Connection c, List<String> batch, Map<String, KnownFile> out)
            throws SQLException {
        Array array = c.createArrayOf("text", batch.toArray());
        Map<String, Map<Integer, KnownFile.SplitRow>> splits = new HashMap<>();
        try (PreparedStatement st =
                c.prepareStatement(
                        "SELECT path, split_index, next_offset, physical_lines, rejects, done"
                                + " FROM usage.file_splits WHERE path = ANY(?)")) {
            st.setArray(1, array);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    splits.computeIfAbsent(rs.getString(1), p -> new HashMap<>())
                            .put(
                                    rs.getInt(2),
                                    new KnownFile.SplitRow(
                                            rs.getInt(2),
                                            rs.getLong(3),
                                            rs.getLong(4),
                                            rs.getLong(5),
                                            rs.getBoolean(6)));
                }
            }
        }
        try (PreparedStatement st =
                c.prepareStatement(
                        "SELECT path, status, owner, size,"
                                + " (extract(epoch FROM mtime) * 1000)::bigint,"
                                + " extract(epoch FROM period_start)::bigint,"
                                + " split_size, split_count"
                                + " FROM usage.files WHERE path = ANY(?)")) {
            st.setArray(1, array);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String path = rs.getString(1);
                    out.put(
                            path,
                            new KnownFile(
                                    path,
                                    "completed".equals(rs.getString(2)),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.getLong(5),
                                    rs.getLong(6),
                                    rs.getLong(7),
                                    rs.getInt(8),
                                    splits.getOrDefault(path, Map.of())));
                }
            }
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
                // the connection is being dropped because it failed; nothing more to do
            } finally {
                connection = null;
            }
        }
    }
}
