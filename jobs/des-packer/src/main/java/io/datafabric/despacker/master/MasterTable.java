package io.datafabric.despacker.master;

import io.datafabric.des.naming.ShardNamer;
import io.datafabric.des.naming.SnowflakeNameGenerator;
import io.datafabric.despacker.config.EligibilityFilter;
import io.datafabric.despacker.config.MasterContract;
import io.datafabric.despacker.config.SourceConfig;
import io.datafabric.despacker.model.FailedFile;
import io.datafabric.despacker.model.FileRef;
import io.datafabric.despacker.model.PackedFile;
import io.datafabric.drms.sql.Column;
import io.datafabric.drms.sql.Filter;
import io.datafabric.drms.sql.SchemaIntrospector;
import io.datafabric.drms.sql.Select;
import io.datafabric.drms.sql.SqlDialect;
import io.datafabric.drms.sql.SqlQuery;
import io.datafabric.drms.sql.TableName;
import io.datafabric.drms.sql.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The master system's catalog table as the packer sees it through its {@link MasterContract}: the
 * marker's batch (select eligible rows {@code FOR UPDATE SKIP LOCKED}, assign names, set marked),
 * the scan of marked rows, and the final updates to packed or failed. Every identifier comes from
 * the introspected table and is quoted by the dialect; every value is a bind parameter.
 *
 * <p>Not thread-safe: one instance per operator instance. The connection is opened lazily and
 * re-opened after an error.
 */
public final class MasterTable implements AutoCloseable {
    private final SourceConfig source;
    private final MasterContract contract;
    private final SqlDialect dialect;
    private Connection connection;
    private TableSchema schema;
    private Filter eligible;

    public MasterTable(SourceConfig source) {
        this.source = source;
        this.contract = source.contract();
        this.dialect = SqlDialect.fromJdbcUrl(source.jdbc().url());
    }

    public String sourceName() {
        return source.name();
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            Connection c = source.jdbc().connect();
            try (Statement st = c.createStatement()) {
                for (String sql : dialect.sessionInitSql()) {
                    st.execute(sql);
                }
            }
            c.setAutoCommit(false);
            if (schema == null) {
                schema =
                        new SchemaIntrospector(dialect)
                                .require(c, TableName.parse(contract.table()));
                for (String col : contractColumns()) {
                    schema.column(col); // fails naming the column when the table lacks it
                }
                eligible =
                        contract.eligibleJson() == null
                                ? null
                                : EligibilityFilter.parse(contract.eligibleJson());
                c.rollback();
            }
            connection = c;
        }
        return connection;
    }

    private List<String> contractColumns() {
        List<String> cols =
                new ArrayList<>(
                        List.of(
                                contract.idColumn(),
                                contract.pathColumn(),
                                contract.sizeColumn(),
                                contract.timestampColumn(),
                                contract.statusColumn(),
                                contract.desNameColumn(),
                                contract.shardColumn(),
                                contract.locationColumn()));
        if (contract.reasonColumn() != null) {
            cols.add(contract.reasonColumn());
        }
        return cols;
    }

    /** Checks the contract against the table (columns exist, filter columns exist). */
    public void check() throws SQLException {
        Connection c = connection();
        Select select = Select.from(schema).columns(List.of(contract.idColumn()));
        if (eligible != null) {
            select.where(eligible);
        }
        select.render(dialect);
        c.rollback();
    }

    private Column col(String name) {
        return schema.column(name);
    }

    private String q(String name) {
        return dialect.quote(col(name).name());
    }

    private String table() {
        return dialect.qualify(schema.table());
    }

    /**
     * One marker batch, in one transaction: up to {@code limit} rows with the active status, older
     * than {@code cutoff} and matching the extra predicate, locked {@code FOR UPDATE SKIP LOCKED}
     * (rows another marker holds are skipped, never waited for or taken twice), each given a new
     * DES name and its shard, and set to marked. The update re-checks the active status, so a
     * re-run never re-marks a row.
     *
     * @return the rows this call marked, committed
     */
    public List<FileRef> markBatch(
            Instant cutoff, int limit, SnowflakeNameGenerator names, ShardNamer shards)
            throws SQLException {
        Connection c = connection();
        try {
            Select select =
                    Select.from(schema)
                            .columns(
                                    List.of(
                                            contract.idColumn(),
                                            contract.pathColumn(),
                                            contract.sizeColumn()))
                            .where(Filter.of(contract.statusColumn(), "=", contract.active()))
                            .where(
                                    Filter.of(
                                            contract.timestampColumn(),
                                            "<",
                                            OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)));
            if (eligible != null) {
                select.where(eligible);
            }
            SqlQuery query =
                    select.orderBy(List.of(contract.idColumn())).limit(limit).render(dialect);
            List<FileRef> rows = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement(query.sql() + " FOR UPDATE SKIP LOCKED")) {
                query.bind(ps, dialect);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = names.next();
                        long size = rs.getLong(3);
                        if (rs.wasNull()) {
                            size = -1;
                        }
                        rows.add(
                                new FileRef(
                                        source.name(),
                                        rs.getString(1),
                                        rs.getString(2),
                                        size,
                                        name,
                                        shards.shardOf(name)));
                    }
                }
            }
            if (!rows.isEmpty()) {
                String sql =
                        "UPDATE "
                                + table()
                                + " SET "
                                + q(contract.statusColumn())
                                + " = ?, "
                                + q(contract.desNameColumn())
                                + " = ?, "
                                + q(contract.shardColumn())
                                + " = ? WHERE "
                                + q(contract.idColumn())
                                + " = ? AND "
                                + q(contract.statusColumn())
                                + " = ?";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (FileRef r : rows) {
                        bindStatus(ps, 1, contract.marked());
                        dialect.bind(ps, 2, col(contract.desNameColumn()).type(), r.desName());
                        dialect.bind(ps, 3, col(contract.shardColumn()).type(), r.shard());
                        dialect.bind(ps, 4, col(contract.idColumn()).type(), r.id());
                        bindStatus(ps, 5, contract.active());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            c.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            abandon();
            throw e;
        }
    }

    private void bindStatus(PreparedStatement ps, int index, String value) throws SQLException {
        dialect.bind(ps, index, col(contract.statusColumn()).type(), value);
    }

    /** Every row in the marked status (with its DES name), for adopting rows nobody packs. */
    public List<FileRef> markedRows(ShardNamer shards) throws SQLException {
        Connection c = connection();
        try {
            SqlQuery query =
                    Select.from(schema)
                            .columns(
                                    List.of(
                                            contract.idColumn(),
                                            contract.pathColumn(),
                                            contract.sizeColumn(),
                                            contract.desNameColumn()))
                            .where(Filter.of(contract.statusColumn(), "=", contract.marked()))
                            .orderBy(List.of(contract.idColumn()))
                            .render(dialect);
            List<FileRef> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(query.sql())) {
                query.bind(ps, dialect);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(4);
                        if (name == null) {
                            continue;
                        }
                        long size = rs.getLong(3);
                        if (rs.wasNull()) {
                            size = -1;
                        }
                        rows.add(
                                new FileRef(
                                        source.name(),
                                        rs.getString(1),
                                        rs.getString(2),
                                        size,
                                        name,
                                        shards.shardOf(name)));
                    }
                }
            }
            c.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /**
     * Sets packed rows to packed with their archive location and failed rows to failed (with the
     * reason when the contract has a reason column), in one transaction. Only rows still marked
     * with the same DES name change, so a repeated call changes nothing.
     */
    public void recordOutcome(
            Collection<PackedFile> packed, String location, Collection<FailedFile> failed)
            throws SQLException {
        Connection c = connection();
        try {
            String where =
                    " WHERE "
                            + q(contract.idColumn())
                            + " = ? AND "
                            + q(contract.statusColumn())
                            + " = ? AND "
                            + q(contract.desNameColumn())
                            + " = ?";
            if (!packed.isEmpty()) {
                String sql =
                        "UPDATE "
                                + table()
                                + " SET "
                                + q(contract.statusColumn())
                                + " = ?, "
                                + q(contract.locationColumn())
                                + " = ?"
                                + where;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (PackedFile f : packed) {
                        bindStatus(ps, 1, contract.packed());
                        dialect.bind(ps, 2, col(contract.locationColumn()).type(), location);
                        bindKey(ps, 3, f.ref());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!failed.isEmpty()) {
                boolean reason = contract.reasonColumn() != null;
                String sql =
                        "UPDATE "
                                + table()
                                + " SET "
                                + q(contract.statusColumn())
                                + " = ?"
                                + (reason ? ", " + q(contract.reasonColumn()) + " = ?" : "")
                                + where;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (FailedFile f : failed) {
                        int i = 1;
                        bindStatus(ps, i++, contract.failed());
                        if (reason) {
                            dialect.bind(ps, i++, col(contract.reasonColumn()).type(), f.reason());
                        }
                        bindKey(ps, i, f.ref());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            abandon();
            throw e;
        }
    }

    private void bindKey(PreparedStatement ps, int index, FileRef ref) throws SQLException {
        dialect.bind(ps, index, col(contract.idColumn()).type(), ref.id());
        bindStatus(ps, index + 1, contract.marked());
        dialect.bind(ps, index + 2, col(contract.desNameColumn()).type(), ref.desName());
    }

    /** Rolls back and drops the connection after an error; the next call reconnects. */
    private void abandon() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is dropped anyway
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to do
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
