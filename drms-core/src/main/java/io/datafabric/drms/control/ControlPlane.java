package io.datafabric.drms.control;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.jdbc.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The replication control plane, PostgreSQL schema {@code drms}: the graph the job runs and every
 * version of it ({@link #versions()}), the catalog view of its datasets and consumers with the
 * approval workflow ({@link #catalog()}), and the task journal ({@link #tasks()}).
 *
 * <p>The CLI ({@code drms apply}) and the api write the graph, the job reads it and writes the
 * journal. The tables are created by the Flyway migrations of {@code datafabric-schemas} ({@code
 * db/migration/drms}); {@link #migrate()} applies them.
 *
 * <pre>{@code
 * ControlPlane plane = new ControlPlane(jdbc, dataSource::getConnection);
 * plane.migrate();
 * ControlSnapshot now = plane.versions().current();
 * plane.catalog().approve("big_to_mdb", "alice");
 * List<TaskEntry> tasks = plane.tasks().ofConsumer("big_to_mdb", 50);
 * }</pre>
 *
 * <p>Thread-safe; it holds no connection between calls.
 */
public final class ControlPlane {
    /** The PostgreSQL schema of the control plane. */
    public static final String SCHEMA = "drms";

    private final JdbcSettings jdbc;
    private final ConnectionSource connections;
    private final GraphVersions versions;
    private final Catalog catalog;
    private final TaskJournal tasks;

    /** A control plane opening one plain JDBC connection per call. */
    public ControlPlane(JdbcSettings jdbc) {
        this(jdbc, jdbc::connect);
    }

    /**
     * A control plane taking its connections from {@code connections} (for example a pool); {@code
     * jdbc} is used only by {@link #migrate()}.
     */
    public ControlPlane(JdbcSettings jdbc, ConnectionSource connections) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.versions = new GraphVersions(connections);
        this.catalog = new Catalog(connections, versions);
        this.tasks = new TaskJournal(connections);
    }

    public JdbcSettings jdbc() {
        return jdbc;
    }

    /** Creates or upgrades the {@code drms} schema (idempotent). */
    public void migrate() {
        Migrations.apply(jdbc, SCHEMA);
    }

    /** A connection from this control plane's source; the caller closes it. */
    public Connection connect() throws SQLException {
        return connections.open();
    }

    /** Applying, listing and reading versions of the graph. */
    public GraphVersions versions() {
        return versions;
    }

    /** Datasets and consumers one at a time, and consumer approval. */
    public Catalog catalog() {
        return catalog;
    }

    /** The {@code drms.tasks} journal: one row per task attempt. */
    public TaskJournal tasks() {
        return tasks;
    }
}
