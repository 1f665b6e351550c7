package io.datafabric.drms.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datafabric.drms.graph.ConsumerStatus;
import io.datafabric.drms.graph.GraphValidationException;
import io.datafabric.drms.graph.SchemaLookup;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The graph one entry at a time, as a catalog: list, read, publish (upsert) and remove datasets,
 * connections and consumers, and the consumer approval workflow.
 *
 * <p>Each change is a new graph version (see {@link GraphVersions#edit}): the whole edited graph is
 * validated with the graph library first, and an invalid change throws {@link
 * GraphValidationException} with every problem and writes nothing. Specs are JSON objects in the
 * graph file's shape ({@code {"connection": "db1", "table": "public.orders", "cursor": [...]}} for
 * a table dataset, {@code {"parent": "orders", "columns": [...], "filter": {...}}} for a slice,
 * {@code {"dataset": "orders", "target": {...}, "schedule": "5m", "mode": "incremental"}} for a
 * consumer).
 *
 * <p>Status changes ({@link #approve}, {@link #reject}, {@link #setStatus}) are not graph versions:
 * they update {@code drms.consumers.status} only, which the job follows and which wins over the
 * file's status until the next {@code drms apply}.
 */
public final class Catalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSUMER_COLUMNS =
            "name, spec::text, dataset, status, version, updated_at, status_changed_by,"
                    + " status_changed_at";
    private static final String DATASET_COLUMNS =
            "name, spec::text, kind, coalesce(parent, ''), version, updated_at";

    private final ConnectionSource connections;
    private final GraphVersions versions;

    Catalog(ConnectionSource connections, GraphVersions versions) {
        this.connections = connections;
        this.versions = versions;
    }

    // ---- reads ----

    /** Every dataset, by name. */
    public List<CatalogEntry> datasets() throws SQLException {
        return datasets("", null);
    }

    /** One dataset. */
    public Optional<CatalogEntry> dataset(String name) throws SQLException {
        return datasets(" WHERE name = ?", name).stream().findFirst();
    }

    /** Every consumer, by name. */
    public List<CatalogEntry> consumers() throws SQLException {
        return consumers("", null);
    }

    /** The consumers reading {@code dataset} directly, by name. */
    public List<CatalogEntry> consumersOf(String dataset) throws SQLException {
        return consumers(" WHERE dataset = ?", dataset);
    }

    /** One consumer. */
    public Optional<CatalogEntry> consumer(String name) throws SQLException {
        return consumers(" WHERE name = ?", name).stream().findFirst();
    }

    private List<CatalogEntry> datasets(String where, String arg) throws SQLException {
        List<CatalogEntry> out = new ArrayList<>();
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + DATASET_COLUMNS
                                        + " FROM drms.datasets"
                                        + where
                                        + " ORDER BY name")) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String parent = rs.getString(4);
                    out.add(
                            new CatalogEntry(
                                    rs.getString(1),
                                    rs.getString(3),
                                    json(rs.getString(2)),
                                    parent.isEmpty() ? null : parent,
                                    null,
                                    rs.getLong(5),
                                    rs.getTimestamp(6).toInstant(),
                                    null,
                                    null));
                }
            }
        }
        return out;
    }

    private List<CatalogEntry> consumers(String where, String arg) throws SQLException {
        List<CatalogEntry> out = new ArrayList<>();
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + CONSUMER_COLUMNS
                                        + " FROM drms.consumers"
                                        + where
                                        + " ORDER BY name")) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode spec = (ObjectNode) json(rs.getString(2));
                    spec.remove("approved");
                    spec.remove("paused");
                    spec.put("status", rs.getString(4));
                    Timestamp changed = rs.getTimestamp(8);
                    out.add(
                            new CatalogEntry(
                                    rs.getString(1),
                                    "consumer",
                                    spec,
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getLong(5),
                                    rs.getTimestamp(6).toInstant(),
                                    rs.getString(7),
                                    changed == null ? null : changed.toInstant()));
                }
            }
        }
        return out;
    }

    private static JsonNode json(String text) throws SQLException {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new SQLException("drms catalog row holds invalid JSON: " + e.getMessage(), e);
        }
    }

    // ---- writes (each a new graph version) ----

    /**
     * Adds or replaces a connection ({@code {"dialect": ..., "url": ..., "user": ...,
     * "password-env": ...}}).
     */
    public GraphVersion upsertConnection(String name, ObjectNode spec, String user)
            throws SQLException {
        return put("connections", name, spec, user, null);
    }

    /**
     * Publishes a dataset (a table of a connection, or a slice of another dataset) or replaces its
     * definition. Consumers reading it re-snapshot when their rules change as a result.
     *
     * @param lookup checks tables and columns against the databases; null checks structure only
     */
    public GraphVersion upsertDataset(
            String name, ObjectNode spec, String user, SchemaLookup lookup) throws SQLException {
        return put("datasets", name, spec, user, lookup);
    }

    /**
     * Removes a dataset.
     *
     * @return the new version, or empty when there was no such dataset
     * @throws DatasetInUseException while consumers read it or slices are cut from it
     */
    public Optional<GraphVersion> deleteDataset(String name, String user) throws SQLException {
        List<String> dependents = new ArrayList<>();
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT 'consumers.' || name FROM drms.consumers WHERE dataset = ?"
                                        + " UNION ALL SELECT 'datasets.' || name FROM"
                                        + " drms.datasets WHERE parent = ? ORDER BY 1")) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dependents.add(rs.getString(1));
                }
            }
        }
        if (!dependents.isEmpty()) {
            throw new DatasetInUseException(name, dependents);
        }
        return remove("datasets", name, user);
    }

    /**
     * Registers a consumer or replaces its rules (dataset, target, columns, filter, schedule,
     * mode). A status in {@code spec} is ignored: a new consumer is {@code pending} until approved,
     * an existing one keeps its status.
     */
    public GraphVersion upsertConsumer(
            String name, ObjectNode spec, String user, SchemaLookup lookup) throws SQLException {
        ObjectNode rules = spec.deepCopy();
        rules.remove("approved");
        rules.remove("paused");
        rules.remove("status");
        return versions.edit(
                user,
                tree -> {
                    ObjectNode section = section(tree, "consumers");
                    JsonNode old = section.get(name);
                    String status =
                            old != null && old.hasNonNull("status")
                                    ? old.get("status").asText()
                                    : ConsumerStatus.PENDING.sqlName();
                    rules.put("status", status);
                    section.set(name, rules);
                    return tree;
                },
                lookup);
    }

    /** Removes a consumer (its target table and data stay); empty when there was none. */
    public Optional<GraphVersion> deleteConsumer(String name, String user) throws SQLException {
        return remove("consumers", name, user);
    }

    private GraphVersion put(
            String section, String name, ObjectNode spec, String user, SchemaLookup lookup)
            throws SQLException {
        Objects.requireNonNull(spec, "spec");
        ObjectNode copy = spec.deepCopy();
        return versions.edit(
                user,
                tree -> {
                    section(tree, section).set(name, copy);
                    return tree;
                },
                lookup);
    }

    private Optional<GraphVersion> remove(String section, String name, String user)
            throws SQLException {
        boolean[] found = {false};
        try {
            return Optional.of(
                    versions.edit(
                            user,
                            tree -> {
                                found[0] = section(tree, section).remove(name) != null;
                                if (!found[0]) {
                                    throw new NoSuchEntry();
                                }
                                return tree;
                            },
                            null));
        } catch (NoSuchEntry e) {
            return Optional.empty();
        }
    }

    /** Aborts an edit (and its transaction) when the entry to remove does not exist. */
    private static final class NoSuchEntry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchEntry() {
            super(null, null, false, false);
        }
    }

    private static ObjectNode section(ObjectNode tree, String name) {
        JsonNode s = tree.get(name);
        return s instanceof ObjectNode o ? o : tree.putObject(name);
    }

    // ---- approval ----

    /** Approves a consumer: the job starts replicating it. False if there is no such consumer. */
    public boolean approve(String consumer, String by) throws SQLException {
        return setStatus(consumer, ConsumerStatus.APPROVED, by);
    }

    /** Rejects a consumer: the job stops (or never starts) it. False if there is none. */
    public boolean reject(String consumer, String by) throws SQLException {
        return setStatus(consumer, ConsumerStatus.REJECTED, by);
    }

    /** Sets a consumer's status, recording who and when; false if there is no such consumer. */
    public boolean setStatus(String consumer, ConsumerStatus status, String by)
            throws SQLException {
        try (Connection c = connections.open();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE drms.consumers SET status = ?, status_changed_by = ?,"
                                        + " status_changed_at = now() WHERE name = ?")) {
            ps.setString(1, status.sqlName());
            ps.setString(2, by);
            ps.setString(3, consumer);
            return ps.executeUpdate() == 1;
        }
    }
}
