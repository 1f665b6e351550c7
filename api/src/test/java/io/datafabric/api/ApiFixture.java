package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datafabric.api.http.Json;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.des.DesEntry;
import io.datafabric.des.DesWriter;
import io.datafabric.des.FileMetadata;
import io.datafabric.des.ShardSummary;
import io.datafabric.des.format.Checksums;
import io.datafabric.des.io.ObjectSink;
import io.datafabric.des.io.S3ObjectSink;
import io.datafabric.des.io.S3Settings;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Starts api instances against a test database and S3Proxy bucket, with a first admin, and talks
 * HTTP to them. Also writes DES shards to the bucket and their metadata rows, as the packer does.
 */
final class ApiFixture implements AutoCloseable {
    static final String SECRET = "test-secret-of-at-least-32-characters!!";
    static final String ADMIN = "root";
    static final String ADMIN_PASSWORD = "root-password-123";

    final PostgresDatabase pg;
    final S3ProxyServer s3;
    final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
    private final List<ApiServer> servers = new ArrayList<>();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private int shardSeq;

    ApiFixture(PostgresDatabase pg, S3ProxyServer s3) {
        this.pg = pg;
        this.s3 = s3;
    }

    ApiConfig config() {
        return ApiConfig.defaults(new JdbcSettings(pg.jdbcUrl(), pg.user(), ""), SECRET).toBuilder()
                .admin(ADMIN, ADMIN_PASSWORD)
                .s3(
                        new S3Settings(
                                s3 == null ? "http://127.0.0.1:1" : s3.endpoint(),
                                S3ProxyServer.ACCESS_KEY,
                                S3ProxyServer.SECRET_KEY,
                                "us-east-1",
                                true),
                        s3 == null ? "none" : s3.bucket())
                .build();
    }

    ApiServer start() {
        return start(b -> b);
    }

    ApiServer start(UnaryOperator<ApiConfig.Builder> change) {
        ApiConfig cfg = change.apply(config().toBuilder()).build();
        ApiServer.migrate(cfg);
        ApiServer server = new ApiServer(cfg).start();
        servers.add(server);
        return server;
    }

    String base(ApiServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> send(
            ApiServer server, String method, String path, String token, String body)
            throws Exception {
        return send(server, method, path, token, body, Map.of());
    }

    HttpResponse<String> send(
            ApiServer server,
            String method,
            String path,
            String token,
            String body,
            Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base(server) + path))
                        .timeout(Duration.ofSeconds(20))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !headers.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(ApiServer server, String path, String token) throws Exception {
        return send(server, "GET", path, token, null);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    String login(ApiServer server, String user, String password) throws Exception {
        HttpResponse<String> r =
                send(
                        server,
                        "POST",
                        "/auth/login",
                        null,
                        Json.write(Map.of("username", user, "password", password)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("accessToken").asText();
    }

    String adminToken(ApiServer server) throws Exception {
        return tokens.computeIfAbsent(
                "admin",
                k -> {
                    try {
                        return login(server, ADMIN, ADMIN_PASSWORD);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** A user with the given roles (created once) and a token for it. */
    String tokenFor(ApiServer server, String user, String... roles) throws Exception {
        String key = user;
        if (tokens.containsKey(key)) {
            return tokens.get(key);
        }
        String password = user + "-password-123";
        HttpResponse<String> r =
                send(
                        server,
                        "POST",
                        "/users",
                        adminToken(server),
                        Json.write(
                                Map.of(
                                        "username",
                                        user,
                                        "password",
                                        password,
                                        "roles",
                                        List.of(roles))));
        assertThat(r.statusCode()).as(r.body()).isIn(201, 409);
        String token = login(server, user, password);
        tokens.put(key, token);
        return token;
    }

    /** A file packed into a shard: its name and body. */
    record Packed(String name, byte[] body, String contentType) {}

    /** Writes one shard with these files to the bucket and records them in des.shards/des.files. */
    String pack(List<Packed> files) throws Exception {
        String key = "des/test/" + String.format("%012d", shardSeq++) + ".des";
        List<long[]> offsets =
                packInto(new S3ObjectSink(s3.client(), s3.bucket(), ""), key, key, files);
        // The offsets recorded must point at the bodies: check one range read per file.
        for (int i = 0; i < files.size(); i++) {
            long[] o = offsets.get(i);
            if (o[1] > 0) {
                byte[] got =
                        s3.client()
                                .getObjectAsBytes(
                                        b ->
                                                b.bucket(s3.bucket())
                                                        .key(key)
                                                        .range(
                                                                "bytes="
                                                                        + o[0]
                                                                        + "-"
                                                                        + (o[0] + o[1] - 1)))
                                .asByteArray();
                assertThat(got).isEqualTo(files.get(i).body());
            }
        }
        return key;
    }

    /**
     * Writes one shard with these files as {@code objectName} of the sink and records them in
     * des.shards/des.files under {@code key} (the key relative to the archive root, as the packer
     * records it). Returns each file's offset and length.
     */
    List<long[]> packInto(ObjectSink sink, String objectName, String key, List<Packed> files)
            throws Exception {
        int seq = shardSeq++;
        List<long[]> offsets = new ArrayList<>();
        List<DesEntry> entries = new ArrayList<>();
        ShardSummary summary;
        try (DesWriter writer = DesWriter.builder(sink, objectName).build()) {
            for (Packed f : files) {
                long at = writer.position();
                entries.add(writer.add(f.name(), f.body(), FileMetadata.of(f.contentType())));
                offsets.add(new long[] {at, f.body().length});
            }
            summary = writer.finish();
        }
        try (Connection c = pg.connect()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO des.shards (object_key, shard_id, seq, size, files,"
                                    + " checksum, status, source) VALUES (?, 0, ?, ?, ?, 'x',"
                                    + " 'complete', 'test')")) {
                ps.setString(1, key);
                ps.setLong(2, seq);
                ps.setLong(3, summary.objectLength());
                ps.setInt(4, files.size());
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO des.files (name, object_key, \"offset\", length, checksum,"
                                    + " content_type, source) VALUES (?, ?, ?, ?, ?, ?, 'test')")) {
                for (int i = 0; i < files.size(); i++) {
                    ps.setString(1, files.get(i).name());
                    ps.setString(2, key);
                    ps.setLong(3, offsets.get(i)[0]);
                    ps.setLong(4, offsets.get(i)[1]);
                    ps.setString(5, Checksums.hex(entries.get(i).crc32c()));
                    ps.setString(6, files.get(i).contentType());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return offsets;
    }

    @Override
    public void close() {
        for (ApiServer s : servers) {
            s.close();
        }
        servers.clear();
    }
}
