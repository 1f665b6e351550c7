package io.datafabric.api.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The api's own catalog tables: {@code api.dataset_grants} (which consumer-role users see which
 * datasets) and {@code api.consumer_owners} (who registered a consumer through the api).
 */
public final class Grants {
    private final DataSource db;

    public Grants(DataSource db) {
        this.db = db;
    }

    public boolean granted(String dataset, String user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT 1 FROM api.dataset_grants WHERE dataset = ? AND username ="
                                        + " ?")) {
            ps.setString(1, dataset);
            ps.setString(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Set<String> grantedTo(String user) throws SQLException {
        return strings(
                "SELECT dataset FROM api.dataset_grants WHERE username = ?", user, new HashSet<>());
    }

    public List<String> usersOf(String dataset) throws SQLException {
        return strings(
                "SELECT username FROM api.dataset_grants WHERE dataset = ? ORDER BY username",
                dataset,
                new ArrayList<>());
    }

    private <C extends java.util.Collection<String>> C strings(String sql, String arg, C out)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Grants a dataset to an existing user; false when there is no such user. */
    public boolean grant(String dataset, String user, String by) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO api.dataset_grants (dataset, username, granted_by)"
                                        + " SELECT ?, username, ? FROM api.users WHERE username = ?"
                                        + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, dataset);
            ps.setString(2, by);
            ps.setString(3, user);
            ps.executeUpdate();
        }
        return granted(dataset, user);
    }

    public boolean revoke(String dataset, String user) throws SQLException {
        return update(
                        "DELETE FROM api.dataset_grants WHERE dataset = ? AND username = ?",
                        dataset,
                        user)
                == 1;
    }

    public void forgetDataset(String dataset) throws SQLException {
        update("DELETE FROM api.dataset_grants WHERE dataset = ?", dataset);
        update("DELETE FROM api.dataset_info WHERE dataset = ?", dataset);
    }

    public Optional<String> ownerOf(String consumer) throws SQLException {
        List<String> owner =
                strings(
                        "SELECT username FROM api.consumer_owners WHERE consumer = ?",
                        consumer,
                        new ArrayList<>());
        return owner.stream().findFirst();
    }

    public void setOwner(String consumer, String user) throws SQLException {
        update(
                "INSERT INTO api.consumer_owners (consumer, username) VALUES (?, ?) ON CONFLICT"
                        + " (consumer) DO UPDATE SET username = EXCLUDED.username",
                consumer,
                user);
    }

    public void forgetConsumer(String consumer) throws SQLException {
        update("DELETE FROM api.consumer_owners WHERE consumer = ?", consumer);
    }

    /** Records a dataset's description and publisher. */
    public void describe(String dataset, String description, String by) throws SQLException {
        update(
                "INSERT INTO api.dataset_info (dataset, description, published_by) VALUES (?, ?, ?)"
                        + " ON CONFLICT (dataset) DO UPDATE SET description = EXCLUDED.description",
                dataset,
                description,
                by);
    }

    /** Descriptions of all datasets, by name. */
    public java.util.Map<String, String> descriptions() throws SQLException {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT dataset, description FROM api.dataset_info");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    public Optional<String> description(String dataset) throws SQLException {
        return strings(
                        "SELECT description FROM api.dataset_info WHERE dataset = ?",
                        dataset,
                        new ArrayList<>())
                .stream()
                .findFirst();
    }

    private int update(String sql, String... args) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
