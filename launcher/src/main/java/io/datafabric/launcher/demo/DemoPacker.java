package io.datafabric.launcher.demo;

import io.datafabric.des.DesReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The demo's master system and packer: sample files (empty to a few hundred KiB, some with
 * non-ASCII names) in a local directory, registered in {@code media.files} with the packer's
 * default contract columns, and {@code pack --config packer.yaml} archiving them into a local
 * directory.
 */
final class DemoPacker {
    static final int SAMPLE_FILES = 120;

    private final Path root;
    private final DemoDatabase db;
    private final DemoCommand.Launcher launcher;

    DemoPacker(Path root, DemoDatabase db, DemoCommand.Launcher launcher) {
        this.root = root;
        this.db = db;
        this.launcher = launcher;
    }

    Path archive() {
        return root.resolve("archive");
    }

    private Path source() {
        return root.resolve("source");
    }

    void start() throws IOException, SQLException {
        Files.createDirectories(source());
        Files.createDirectories(archive());
        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS media");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS media.files ("
                            + " id bigint PRIMARY KEY, path text NOT NULL, size bigint,"
                            + " created_at timestamptz NOT NULL, status text NOT NULL,"
                            + " des_name text, shard integer, archive_location text)");
        }
        writeSamples();
        Path config = root.resolve("packer.yaml");
        Files.writeString(config, configYaml(), StandardCharsets.UTF_8);
        launcher.launch("pack", List.of("pack", "--config", config.toString()));
    }

    /** The packer configuration the demo runs with; printed paths make it easy to reuse. */
    private String configYaml() {
        return String.join(
                "\n",
                "# The demo's packer: one master system (media.files) archived to a local directory.",
                "des:",
                "  jdbc: {url: \"" + db.jdbcUrl() + "\", user: " + db.user() + "}",
                "archive:",
                "  uri: \"" + archive().toUri() + "\"",
                "  prefix: des",
                "packer:",
                "  shard-bits: 2",
                "  target-size: 4m",
                "  max-files: 50",
                "  max-wait: 10s",
                "  older-than: 1s",
                "  mark-interval: 5s",
                "  checkpoint-interval: 5s",
                "  checkpoint-dir: \"" + root.resolve("checkpoints").toUri() + "\"",
                "sources:",
                "  media:",
                "    jdbc: {url: \"" + db.jdbcUrl() + "\", user: " + db.user() + "}",
                "    table: media.files",
                "    storage: {root: \"" + source().toUri() + "\"}",
                "");
    }

    private void writeSamples() throws IOException, SQLException {
        Random random = new Random(42);
        String[] names = {"report", "фото", "データ", "café", "notes"};
        try (Connection c = db.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO media.files (id, path, size, created_at, status)"
                                        + " VALUES (?, ?, ?, now() - interval '1 day', 'active')"
                                        + " ON CONFLICT (id) DO NOTHING")) {
            for (int i = 1; i <= SAMPLE_FILES; i++) {
                int size = i % 20 == 0 ? 0 : random.nextInt(i % 7 == 0 ? 300_000 : 20_000);
                byte[] body = new byte[size];
                random.nextBytes(body);
                Path file = source().resolve(names[i % names.length] + "-" + i + ".bin");
                Files.write(file, body);
                ps.setLong(1, i);
                ps.setString(2, "file://" + file.toAbsolutePath());
                ps.setLong(3, size);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A packed sample file: where its original lies and its DES name. */
    record Sample(Path original, String desName) {}

    /** One packed sample file, or null while none is packed. */
    Sample packedSample() throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT path, des_name FROM media.files WHERE status = 'packed'"
                                        + " AND size > 0 ORDER BY id LIMIT 1")) {
            return rs.next()
                    ? new Sample(
                            Path.of(rs.getString(1).substring("file://".length())), rs.getString(2))
                    : null;
        }
    }

    /** Null when every sample row is packed and its archived body equals the original. */
    String allPackedAndEqual() throws SQLException, IOException {
        int packed = 0;
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT m.path, m.status, f.object_key, m.des_name"
                                        + " FROM media.files m LEFT JOIN des.files f"
                                        + " ON f.name = m.des_name ORDER BY m.id")) {
            while (rs.next()) {
                if (!"packed".equals(rs.getString(2)) || rs.getString(3) == null) {
                    continue;
                }
                Path original = Path.of(rs.getString(1).substring("file://".length()));
                byte[] archived;
                try (DesReader reader = DesReader.open(archive().resolve(rs.getString(3)))) {
                    archived = reader.read(rs.getString(4)).orElse(null);
                }
                if (archived == null || !Arrays.equals(Files.readAllBytes(original), archived)) {
                    return "archived body of " + original.getFileName() + " differs";
                }
                packed++;
            }
        }
        return packed == SAMPLE_FILES ? null : packed + " of " + SAMPLE_FILES + " files packed";
    }
}
