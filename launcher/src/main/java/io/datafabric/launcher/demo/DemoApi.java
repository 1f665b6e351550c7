package io.datafabric.launcher.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's api: {@code api} on the demo database, reading packed files from the packer's local
 * archive, with a demo admin whose password and the token-signing secret are written to files
 * readable by the owner only (the api takes secrets from files or the environment, never inline).
 */
final class DemoApi {
    static final String ADMIN = "admin";

    private static final Pattern ACCESS_TOKEN =
            Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");

    private final Path root;
    private final DemoDatabase db;
    private final int port;
    private final Path archive;
    private final DemoCommand.Launcher launcher;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminPassword;

    DemoApi(Path root, DemoDatabase db, int port, Path archive, DemoCommand.Launcher launcher) {
        this.root = root;
        this.db = db;
        this.port = port;
        this.archive = archive;
        this.launcher = launcher;
    }

    String url() {
        return "http://localhost:" + port;
    }

    String adminPassword() {
        return adminPassword;
    }

    void start() throws IOException {
        Files.createDirectories(root);
        Path jwtSecret = secretFile("jwt-secret", randomHex(32));
        adminPassword = "demo-" + randomHex(6);
        Path passwordFile = secretFile("admin-password", adminPassword);
        launcher.launch(
                "api",
                List.of(
                        "api",
                        "--jdbc-url",
                        db.jdbcUrl(),
                        "--jdbc-user",
                        db.user(),
                        "--port",
                        Integer.toString(port),
                        "--set",
                        "archive.uri=" + archive.toUri(),
                        "--set",
                        "api.jwt.secret-file=" + jwtSecret,
                        "--set",
                        "api.admin.user=" + ADMIN,
                        "--set",
                        "api.admin.password-file=" + passwordFile));
    }

    /** Waits until {@code /health/ready} answers 200, for at most {@code timeout}. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        String problem =
                new DemoCheck("api ready", this::readiness)
                        .await(System.nanoTime() + timeout.toNanos());
        if (problem != null) {
            throw new IOException("the api did not become ready on " + url() + ": " + problem);
        }
    }

    private String readiness() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/health/ready", null);
        return r.statusCode() == 200 ? null : r.statusCode() + " " + r.body();
    }

    /** The commands printed for the user: log in once, then call the api with the token. */
    List<String> curlCommands(String sampleFileName) {
        String login =
                "TOKEN=$(curl -s -X POST "
                        + url()
                        + "/auth/login -H 'Content-Type: application/json' -d '{\"username\":\""
                        + ADMIN
                        + "\",\"password\":\""
                        + adminPassword
                        + "\"}' | sed -E 's/.*\"accessToken\":\"([^\"]+)\".*/\\1/')";
        String auth = "curl -s -H \"Authorization: Bearer $TOKEN\" ";
        return List.of(
                login,
                auth + url() + "/usage/top?limit=5",
                auth + url() + "/datasets",
                auth + "-o /tmp/packed-file " + url() + "/files/" + sampleFileName,
                auth + url() + "/openapi.json | head -c 300");
    }

    /**
     * Null when login, usage, catalog and a packed file read all answer what the database holds.
     */
    String serves(Path originalOf, String desName) throws Exception {
        HttpResponse<String> login =
                http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/auth/login"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"username\":\""
                                                        + ADMIN
                                                        + "\",\"password\":\""
                                                        + adminPassword
                                                        + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Matcher m = ACCESS_TOKEN.matcher(login.body());
        if (login.statusCode() != 200 || !m.find()) {
            return "login answered " + login.statusCode() + " " + login.body();
        }
        String token = m.group(1);
        long topConsumer = topConsumer();
        HttpResponse<String> top = get("/usage/top?limit=1", token);
        if (top.statusCode() != 200 || !top.body().contains(Long.toString(topConsumer))) {
            return "/usage/top answered " + top.statusCode() + " " + top.body();
        }
        HttpResponse<String> datasets = get("/datasets", token);
        if (datasets.statusCode() != 200 || !datasets.body().contains("big_orders")) {
            return "/datasets answered " + datasets.statusCode() + " " + datasets.body();
        }
        HttpResponse<byte[]> file =
                http.send(
                        request(
                                "/files/" + URLEncoder.encode(desName, StandardCharsets.UTF_8),
                                token),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (file.statusCode() != 200
                || !Arrays.equals(file.body(), Files.readAllBytes(originalOf))) {
            return "/files/" + desName + " answered " + file.statusCode() + " with other bytes";
        }
        return null;
    }

    private long topConsumer() throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT consumer_id FROM usage.totals"
                                        + " ORDER BY total DESC, consumer_id LIMIT 1")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private HttpResponse<String> get(String path, String token)
            throws IOException, InterruptedException {
        return http.send(request(path, token), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String token) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    private Path secretFile(String name, String value) throws IOException {
        Path file = root.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, value, StandardCharsets.UTF_8);
        return file;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
