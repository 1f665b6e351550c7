package io.datafabric.despacker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test data of one master system: a catalog table with configurable column names and the files it
 * points at, with their expected bytes.
 */
final class MasterFiles {
    /** Column names and status values of one master's contract. */
    record Contract(
            String table,
            String id,
            String idType,
            String path,
            String size,
            String ts,
            String status,
            String desName,
            String shard,
            String location,
            String reason,
            String active,
            String marked,
            String packed,
            String failed) {

        static Contract defaults(String table) {
            return new Contract(
                    table,
                    "id",
                    "bigint",
                    "path",
                    "size",
                    "created_at",
                    "status",
                    "des_name",
                    "shard",
                    "archive_location",
                    null,
                    "active",
                    "marked",
                    "packed",
                    "failed");
        }

        /** The {@code sources.<name>.*} keys of this contract. */
        Map<String, String> settings(String source) {
            Map<String, String> m = new LinkedHashMap<>();
            String p = "sources." + source + ".";
            m.put(p + "table", table);
            m.put(p + "columns.id", id);
            m.put(p + "columns.path", path);
            m.put(p + "columns.size", size);
            m.put(p + "columns.timestamp", ts);
            m.put(p + "columns.status", status);
            m.put(p + "columns.des-name", desName);
            m.put(p + "columns.shard", shard);
            m.put(p + "columns.location", location);
            if (reason != null) {
                m.put(p + "columns.reason", reason);
            }
            m.put(p + "status.active", active);
            m.put(p + "status.marked", marked);
            m.put(p + "status.packed", packed);
            m.put(p + "status.failed", failed);
            return m;
        }
    }

    /** One row: its id, where its file is, and the bytes a reader must get back. */
    record Row(String id, String path, byte[] bytes, boolean eligible, String expectedFailure) {}

    final Contract contract;
    final List<Row> rows = new ArrayList<>();

    MasterFiles(Contract contract) {
        this.contract = contract;
    }

    void createTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (contract.table().contains(".")) {
                st.execute(
                        "CREATE SCHEMA IF NOT EXISTS "
                                + contract.table().substring(0, contract.table().indexOf('.')));
            }
            st.execute(
                    "CREATE TABLE "
                            + contract.table()
                            + " ("
                            + contract.id()
                            + " "
                            + contract.idType()
                            + " PRIMARY KEY, "
                            + contract.path()
                            + " text NOT NULL, "
                            + contract.size()
                            + " bigint, "
                            + contract.ts()
                            + " timestamptz NOT NULL, "
                            + contract.status()
                            + " text NOT NULL, "
                            + contract.desName()
                            + " text, "
                            + contract.shard()
                            + " integer, "
                            + contract.location()
                            + " text, "
                            + (contract.reason() == null ? "" : contract.reason() + " text, ")
                            + "kind text NOT NULL DEFAULT 'doc')");
        }
    }

    /** Random bytes of mixed sizes: zeros, small ones, and a few of several MB. */
    static byte[] body(Random random, int i, int count) {
        int size;
        if (i % 25 == 0) {
            size = 0;
        } else if (i == count / 2 || i == count / 3) {
            size = (2 << 20) + random.nextInt(2 << 20);
        } else {
            size = 1 + random.nextInt(48 << 10);
        }
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    /** A file name with non-ASCII characters for some rows. */
    static String fileName(int i) {
        return switch (i % 4) {
            case 0 -> "фото-" + i + ".bin";
            case 1 -> "文件 " + i + " ü.txt";
            default -> "file-" + i + ".dat";
        };
    }

    /** Inserts a row; {@code ageDays} old. */
    void insert(Connection c, String id, String path, Long size, long ageDays, String kind)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO "
                                + contract.table()
                                + " ("
                                + contract.id()
                                + ", "
                                + contract.path()
                                + ", "
                                + contract.size()
                                + ", "
                                + contract.ts()
                                + ", "
                                + contract.status()
                                + ", kind) VALUES (?, ?, ?, ?, ?, ?)")) {
            if (contract.idType().equals("bigint")) {
                ps.setLong(1, Long.parseLong(id));
            } else {
                ps.setString(1, id);
            }
            ps.setString(2, path);
            if (size == null) {
                ps.setNull(3, java.sql.Types.BIGINT);
            } else {
                ps.setLong(3, size);
            }
            ps.setTimestamp(4, Timestamp.from(Instant.now().minus(ageDays, ChronoUnit.DAYS)));
            ps.setString(5, contract.active());
            ps.setString(6, kind);
            ps.executeUpdate();
        }
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /** Current status, des name and location of every row. */
    Map<String, String[]> state(Connection c) throws SQLException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT "
                                        + contract.id()
                                        + ", "
                                        + contract.status()
                                        + ", "
                                        + contract.desName()
                                        + ", "
                                        + contract.location()
                                        + ", "
                                        + contract.shard()
                                        + (contract.reason() == null
                                                ? ", NULL"
                                                : ", " + contract.reason())
                                        + " FROM "
                                        + contract.table())) {
            while (rs.next()) {
                out.put(
                        rs.getString(1),
                        new String[] {
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6)
                        });
            }
        }
        return out;
    }

    static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
