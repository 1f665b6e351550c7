package io.datafabric.drms.load;

import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.ColumnType;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.TableDdl;
import io.datafabric.drms.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The {@code drms_cursor} table of a target database: one row per edge ({@code edge_id}, {@code
 * cursor} JSON text, {@code updated_at}). Rows are written inside the batch transaction, after
 * {@link #lock} has checked that nobody else moved the cursor.
 */
public final class CursorStore {
    /** Table name, created next to the target table (same schema / database). */
    public static final String TABLE = "drms_cursor";

    private final SqlDialect dialect;
    private final TableName table;

    /** The cursor table in {@code schema} (null: the connection's default schema). */
    public CursorStore(SqlDialect dialect, String schema) {
        this.dialect = dialect;
        this.table = new TableName(schema, TABLE);
    }

    public TableName table() {
        return table;
    }

    /** Creates the table when missing. */
    public void ensureTable(Connection c) throws SQLException {
        if (new io.datafabric.drms.sql.SchemaIntrospector(dialect).find(c, table).isPresent()) {
            return;
        }
        String ddl =
                new TableDdl(dialect)
                        .createTable(
                                table,
                                List.of(
                                        new Column("edge_id", ColumnType.varchar(255), false),
                                        new Column("cursor", ColumnType.TEXT, false),
                                        new Column("updated_at", ColumnType.TIMESTAMPTZ, false)),
                                List.of("edge_id"));
        try (Statement st = c.createStatement()) {
            st.execute(ddl);
        }
    }

    /** The stored cursor JSON of {@code edgeId}, if any. */
    public Optional<String> read(Connection c, String edgeId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + dialect.quote("cursor")
                                + " FROM "
                                + dialect.qualify(table)
                                + " WHERE "
                                + dialect.quote("edge_id")
                                + " = ?")) {
            ps.setString(1, edgeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Inside the batch transaction: locks the edge's row and checks it still holds {@code expected}
     * (null: no row yet). Throws {@link CursorConflictException} otherwise.
     */
    public void lock(Connection c, String edgeId, String expected) throws SQLException {
        String found;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + dialect.quote("cursor")
                                + " FROM "
                                + dialect.qualify(table)
                                + " WHERE "
                                + dialect.quote("edge_id")
                                + " = ? FOR UPDATE")) {
            ps.setString(1, edgeId);
            try (ResultSet rs = ps.executeQuery()) {
                found = rs.next() ? rs.getString(1) : null;
            }
        }
        if (expected == null ? found != null : !expected.equals(found)) {
            throw new CursorConflictException(edgeId, expected, found);
        }
    }

    /** Writes the cursor: an INSERT when {@code previous} is null, else an UPDATE of the row. */
    public void write(Connection c, String edgeId, String json, String previous, OffsetDateTime now)
            throws SQLException {
        String sql =
                previous == null
                        ? "INSERT INTO "
                                + dialect.qualify(table)
                                + " ("
                                + dialect.quote("cursor")
                                + ", "
                                + dialect.quote("updated_at")
                                + ", "
                                + dialect.quote("edge_id")
                                + ") VALUES (?, ?, ?)"
                        : "UPDATE "
                                + dialect.qualify(table)
                                + " SET "
                                + dialect.quote("cursor")
                                + " = ?, "
                                + dialect.quote("updated_at")
                                + " = ? WHERE "
                                + dialect.quote("edge_id")
                                + " = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, json);
            dialect.bind(ps, 2, ColumnType.TIMESTAMPTZ, now);
            ps.setString(3, edgeId);
            if (ps.executeUpdate() != 1) {
                throw new CursorConflictException(edgeId, previous, "<no row>");
            }
        }
    }

    /** Removes the edge's cursor (the next run starts from scratch); its own transaction. */
    public boolean reset(Connection c, String edgeId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "DELETE FROM "
                                + dialect.qualify(table)
                                + " WHERE "
                                + dialect.quote("edge_id")
                                + " = ?")) {
            ps.setString(1, edgeId);
            return ps.executeUpdate() > 0;
        }
    }
}
