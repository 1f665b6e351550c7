package io.datafabric.despacker.metadata;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.despacker.model.FailedFile;
import io.datafabric.despacker.model.PackedFile;
import io.datafabric.despacker.model.ShardCommittable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The DES metadata tables ({@code des.shards}, {@code des.files}, {@code des.failed_files}) in
 * PostgreSQL. Every write is an upsert, so recording the same shard twice is harmless. Not
 * thread-safe; the connection is opened lazily and dropped after an error.
 */
public final class DesMetadata implements AutoCloseable {
    private static final int BATCH = 1000;

    private final JdbcSettings jdbc;
    private Connection connection;

    public DesMetadata(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            // PostgreSQL sends a batch of upserts as multi-row statements with this property
            java.util.Properties props = new java.util.Properties();
            if (!jdbc.user().isEmpty()) {
                props.setProperty("user", jdbc.user());
            }
            if (!jdbc.password().isEmpty()) {
                props.setProperty("password", jdbc.password());
            }
            props.setProperty("reWriteBatchedInserts", "true");
            Connection c = java.sql.DriverManager.getConnection(jdbc.url(), props);
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    /**
     * The next free sequence of (source, shard): one more than the highest recorded. Used when a
     * packer key starts without state (a fresh job), so it never overwrites a recorded object.
     */
    public long nextSequence(String source, int shard) throws SQLException {
        Connection c = connection();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT coalesce(max(seq) + 1, 0) FROM des.shards"
                                + " WHERE source = ? AND shard_id = ?")) {
            ps.setString(1, source);
            ps.setInt(2, shard);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long next = rs.getLong(1);
                c.commit();
                return next;
            }
        } catch (SQLException e) {
            abandon();
            throw e;
        }
    }

    /** Upserts the shard row, its file rows and the failed files, in one transaction. */
    public void record(ShardCommittable c) throws SQLException {
        Connection conn = connection();
        try {
            if (c.hasObject()) {
                try (PreparedStatement ps =
                        conn.prepareStatement(
                                "INSERT INTO des.shards (object_key, shard_id, seq, size, files,"
                                        + " checksum, status, source) VALUES"
                                        + " (?, ?, ?, ?, ?, ?, 'complete', ?)"
                                        + " ON CONFLICT (object_key) DO UPDATE SET"
                                        + " shard_id = excluded.shard_id, seq = excluded.seq,"
                                        + " size = excluded.size, files = excluded.files,"
                                        + " checksum = excluded.checksum, status = 'complete',"
                                        + " source = excluded.source")) {
                    ps.setString(1, c.objectKey());
                    ps.setInt(2, c.shard());
                    ps.setLong(3, c.seq());
                    ps.setLong(4, c.objectSize());
                    ps.setInt(5, c.files().size());
                    ps.setString(6, c.checksum());
                    ps.setString(7, c.source());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps =
                        conn.prepareStatement(
                                "INSERT INTO des.files (name, object_key, \"offset\", length,"
                                        + " checksum, source) VALUES (?, ?, ?, ?, ?, ?)"
                                        + " ON CONFLICT (name) DO UPDATE SET"
                                        + " object_key = excluded.object_key,"
                                        + " \"offset\" = excluded.\"offset\","
                                        + " length = excluded.length,"
                                        + " checksum = excluded.checksum,"
                                        + " source = excluded.source")) {
                    int n = 0;
                    for (PackedFile f : c.files()) {
                        ps.setString(1, f.ref().desName());
                        ps.setString(2, c.objectKey());
                        ps.setLong(3, f.offset());
                        ps.setLong(4, f.length());
                        ps.setString(5, f.checksum());
                        ps.setString(6, c.source());
                        ps.addBatch();
                        if (++n % BATCH == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
            }
            if (!c.failed().isEmpty()) {
                try (PreparedStatement ps =
                        conn.prepareStatement(
                                "INSERT INTO des.failed_files (source, file_id, des_name, path,"
                                        + " reason) VALUES (?, ?, ?, ?, ?)"
                                        + " ON CONFLICT (source, file_id) DO UPDATE SET"
                                        + " des_name = excluded.des_name, path = excluded.path,"
                                        + " reason = excluded.reason,"
                                        + " failed_at = excluded.failed_at")) {
                    for (FailedFile f : c.failed()) {
                        ps.setString(1, c.source());
                        ps.setString(2, f.ref().id());
                        ps.setString(3, f.ref().desName());
                        ps.setString(4, f.ref().path());
                        ps.setString(5, f.reason());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            conn.commit();
        } catch (SQLException e) {
            abandon();
            throw e;
        }
    }

    /** Object keys of every shard row (any status): what gc must never delete. */
    public Set<String> referencedObjectKeys() throws SQLException {
        Connection c = connection();
        Set<String> keys = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT object_key FROM des.shards");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            c.commit();
            return keys;
        } catch (SQLException e) {
            abandon();
            throw e;
        }
    }

    private void abandon() {
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException ignored) {
                // dropped anyway
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing
            }
            connection = null;
        }
    }
}
