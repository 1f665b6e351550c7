package io.datafabric.api.auth;

import io.datafabric.api.role.Role;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** The {@code api.users} and {@code api.refresh_tokens} tables. */
public final class UserStore {
    /** A user row. */
    public record User(
            String username,
            String passwordHash,
            Set<Role> roles,
            boolean disabled,
            int failedLogins,
            Instant lockedUntil,
            Instant createdAt) {}

    private final DataSource db;

    public UserStore(DataSource db) {
        this.db = db;
    }

    public Optional<User> find(String username) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT username, password_hash, roles, disabled, failed_logins,"
                                        + " locked_until, created_at FROM api.users WHERE username"
                                        + " = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    public List<User> list() throws SQLException {
        List<User> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT username, password_hash, roles, disabled, failed_logins,"
                                        + " locked_until, created_at FROM api.users ORDER BY"
                                        + " username");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(user(rs));
            }
        }
        return out;
    }

    private static User user(ResultSet rs) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String id : (String[]) rs.getArray(3).getArray()) {
            Role.assignable(id).ifPresent(roles::add);
        }
        Timestamp locked = rs.getTimestamp(6);
        return new User(
                rs.getString(1),
                rs.getString(2),
                roles,
                rs.getBoolean(4),
                rs.getInt(5),
                locked == null ? null : locked.toInstant(),
                rs.getTimestamp(7).toInstant());
    }

    /** Inserts a user; false when the name is taken. */
    public boolean create(String username, String hash, Set<Role> roles) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO api.users (username, password_hash, roles) VALUES"
                                        + " (?, ?, ?) ON CONFLICT (username) DO NOTHING")) {
            ps.setString(1, username);
            ps.setString(2, hash);
            ps.setArray(3, roles(c, roles));
            return ps.executeUpdate() == 1;
        }
    }

    private static Array roles(Connection c, Set<Role> roles) throws SQLException {
        return c.createArrayOf("text", roles.stream().map(Role::id).sorted().toArray());
    }

    public boolean anyAdmin() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT 1 FROM api.users WHERE 'admin' = ANY (roles) LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    public boolean setRoles(String username, Set<Role> roles) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE api.users SET roles = ?, updated_at = now() WHERE"
                                        + " username = ?")) {
            ps.setArray(1, roles(c, roles));
            ps.setString(2, username);
            return ps.executeUpdate() == 1;
        }
    }

    /** Sets a new password, clears the lockout and revokes the user's refresh tokens. */
    public boolean setPassword(String username, String hash) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE api.users SET password_hash = ?, failed_logins = 0,"
                                            + " locked_until = NULL, updated_at = now() WHERE"
                                            + " username = ?");
                    PreparedStatement revoke =
                            c.prepareStatement(
                                    "UPDATE api.refresh_tokens SET revoked_at = now() WHERE"
                                            + " username = ? AND revoked_at IS NULL")) {
                ps.setString(1, hash);
                ps.setString(2, username);
                boolean found = ps.executeUpdate() == 1;
                revoke.setString(1, username);
                revoke.executeUpdate();
                c.commit();
                return found;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public boolean delete(String username) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("DELETE FROM api.users WHERE username = ?")) {
            ps.setString(1, username);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Counts a failed login; locks the user until {@code lockUntil} when the count reaches {@code
     * maxFailures}. Returns the new count.
     */
    public int recordFailure(String username, int maxFailures, Instant lockUntil)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE api.users SET failed_logins = failed_logins + 1,"
                                        + " locked_until = CASE WHEN failed_logins + 1 >= ? THEN ?"
                                        + " ELSE locked_until END WHERE username = ? RETURNING"
                                        + " failed_logins")) {
            ps.setInt(1, maxFailures);
            ps.setTimestamp(2, Timestamp.from(lockUntil));
            ps.setString(3, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    public void recordSuccess(String username) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE api.users SET failed_logins = 0, locked_until = NULL WHERE"
                                        + " username = ? AND (failed_logins <> 0 OR locked_until"
                                        + " IS NOT NULL)")) {
            ps.setString(1, username);
            ps.executeUpdate();
        }
    }

    public void storeRefresh(String tokenHash, String username, Instant expires)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO api.refresh_tokens (token_hash, username, expires_at)"
                                        + " VALUES (?, ?, ?)")) {
            ps.setString(1, tokenHash);
            ps.setString(2, username);
            ps.setTimestamp(3, Timestamp.from(expires));
            ps.executeUpdate();
        }
    }

    /**
     * Revokes a live refresh token and returns its user; empty when unknown, expired or already
     * revoked (a refresh token works once).
     */
    public Optional<String> consumeRefresh(String tokenHash) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE api.refresh_tokens SET revoked_at = now() WHERE token_hash"
                                        + " = ? AND revoked_at IS NULL AND expires_at > now()"
                                        + " RETURNING username")) {
            ps.setString(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
