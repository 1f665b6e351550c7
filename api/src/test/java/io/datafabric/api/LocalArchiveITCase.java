package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datafabric.api.ApiFixture.Packed;
import io.datafabric.api.files.ArchiveLocation;
import io.datafabric.api.http.Json;
import io.datafabric.des.io.LocalDirectorySink;
import io.datafabric.testing.PostgresDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archive.uri}: GET/HEAD /files/{name} of DES shards written (with des-format's DesWriter)
 * into a local archive directory under keys of the packer's form ({@code
 * <prefix>/<source>/shard-NNNNN/NNNNNNNNNNNN.des}, relative to the archive root), keys from the
 * database that would leave the directory refused. ({@code s3://bucket/path}: FilesITCase.)
 */
class LocalArchiveITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    @TempDir static Path tmp;
    static Path archiveDir;
    static ApiFixture fx;
    static ApiServer server;
    static String token;
    static final List<Packed> FILES = new ArrayList<>();
    static final AtomicLong EXTRA_SEQ = new AtomicLong(1_000_000);
    static final byte[] SECRET = "outside-the-archive-secret".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws Exception {
        archiveDir = tmp.resolve("archive");
        Files.createDirectories(archiveDir);
        Files.write(tmp.resolve("secret.des"), SECRET);
        fx = new ApiFixture(PG, null);
        // The archive as the packer's archive.uri names it (file:///dir); starting migrates des.
        server = fx.start(b -> b.archive(ArchiveLocation.parse(archiveDir.toUri().toString())));
        Random random = new Random(11);
        for (int i = 0; i < 30; i++) {
            byte[] body = new byte[i == 0 ? 0 : 100 + random.nextInt(6000)];
            random.nextBytes(body);
            FILES.add(new Packed("local/f" + i + ".bin", body, "application/x-local-" + i));
        }
        byte[] big = new byte[(3 << 20) / 2];
        random.nextBytes(big);
        FILES.add(new Packed("local/big.bin", big, "application/octet-stream"));
        LocalDirectorySink sink = new LocalDirectorySink(archiveDir);
        String key1 = "des/media/shard-00003/000000000001.des";
        String key2 = "des/media/shard-00007/000000000002.des";
        fx.packInto(sink, key1, key1, FILES.subList(0, 15));
        fx.packInto(sink, key2, key2, FILES.subList(15, FILES.size()));
        assertThat(archiveDir.resolve(key1)).isRegularFile();

        token = fx.tokenFor(server, "local_reader", "reader");
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    HttpResponse<byte[]> fetch(ApiServer s, String method, String name, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(fx.base(s) + "/files/" + name))
                        .timeout(Duration.ofSeconds(20))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        return fx.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void getAndHeadServeEveryFileFromTheLocalArchive() throws Exception {
        for (Packed f : FILES) {
            HttpResponse<byte[]> r = fetch(server, "GET", f.name(), Map.of());
            assertThat(r.statusCode()).as(f.name()).isEqualTo(200);
            assertThat(r.body()).as(f.name()).isEqualTo(f.body());
            assertThat(r.headers().firstValue("Content-Type")).contains(f.contentType());
            assertThat(r.headers().firstValue("Content-Length"))
                    .contains(Integer.toString(f.body().length));
            assertThat(r.headers().firstValue("ETag").orElse("")).matches("\"[0-9a-f]{8}\"");

            HttpResponse<byte[]> h = fetch(server, "HEAD", f.name(), Map.of());
            assertThat(h.statusCode()).isEqualTo(200);
            assertThat(h.body()).isEmpty();
            assertThat(h.headers().firstValue("Content-Length"))
                    .contains(Integer.toString(f.body().length));
            assertThat(h.headers().firstValue("ETag")).isEqualTo(r.headers().firstValue("ETag"));
        }
    }

    @Test
    void rangesEtagsAndUnknownNames() throws Exception {
        Packed f = FILES.get(5);
        HttpResponse<byte[]> part = fetch(server, "GET", f.name(), Map.of("Range", "bytes=10-49"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(f.body(), 10, 50));
        assertThat(part.headers().firstValue("Content-Range"))
                .contains("bytes 10-49/" + f.body().length);

        HttpResponse<byte[]> suffix = fetch(server, "GET", f.name(), Map.of("Range", "bytes=-7"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        int n = f.body().length;
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(f.body(), n - 7, n));

        HttpResponse<byte[]> outside =
                fetch(server, "GET", f.name(), Map.of("Range", "bytes=" + n + "-"));
        assertThat(outside.statusCode()).isEqualTo(416);
        assertThat(outside.headers().firstValue("Content-Range")).contains("bytes */" + n);

        String etag = fetch(server, "HEAD", f.name(), Map.of()).headers().firstValue("ETag").get();
        assertThat(fetch(server, "GET", f.name(), Map.of("If-None-Match", etag)).statusCode())
                .isEqualTo(304);

        // A large body is streamed from the file (over the 1 MiB read-in-one-piece limit).
        Packed big = FILES.get(FILES.size() - 1);
        int from = big.body().length - 1_200_000;
        HttpResponse<byte[]> tail =
                fetch(server, "GET", big.name(), Map.of("Range", "bytes=" + from + "-"));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(big.body(), from, big.body().length));

        HttpResponse<byte[]> unknown = fetch(server, "GET", "local/nope.bin", Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("\"not_found\"");
    }

    /** Keys from the database that would leave the archive directory: refused, nothing read. */
    @Test
    void keysLeavingTheArchiveAreRefused() throws Exception {
        Path outsideDir = tmp.resolve("outside");
        Files.createDirectories(outsideDir);
        Files.write(outsideDir.resolve("x.des"), SECRET);
        Files.createSymbolicLink(archiveDir.resolve("link"), outsideDir);
        List<String> keys =
                List.of(
                        "../secret.des",
                        "des/../../secret.des",
                        tmp.resolve("secret.des").toString(),
                        "des\\..\\..\\secret.des",
                        "link/x.des");
        for (String key : keys) {
            String name = "evil/" + UUID.randomUUID() + ".bin";
            insertFile(name, key, 0, SECRET.length);
            HttpResponse<byte[]> r = fetch(server, "GET", name, Map.of());
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(r.statusCode()).as(key).isEqualTo(502);
            assertThat(body).as(key).doesNotContain("outside-the-archive-secret");
            JsonNode error = Json.MAPPER.readTree(body);
            assertThat(error.get("error").asText()).as(key).isEqualTo("bad_object_key");
        }
    }

    @Test
    void aShardMissingFromTheArchiveIsA502() throws Exception {
        Packed f = new Packed("local/gone.bin", new byte[] {1, 2, 3}, "text/plain");
        String key = "des/media/shard-00009/000000000009.des";
        fx.packInto(new LocalDirectorySink(archiveDir), key, key, List.of(f));
        assertThat(fetch(server, "GET", f.name(), Map.of()).statusCode()).isEqualTo(200);
        Files.delete(archiveDir.resolve(key));
        HttpResponse<byte[]> r = fetch(server, "GET", f.name(), Map.of());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("storage_inconsistent");
    }

    @Test
    void readinessChecksTheArchiveDirectory() throws Exception {
        HttpResponse<String> ok = fx.get(server, "/health/ready", null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        Path absent = tmp.resolve("not-there-" + UUID.randomUUID());
        ApiServer other = fx.start(b -> b.archive(new ArchiveLocation.Local(absent)));
        HttpResponse<String> notReady = fx.get(other, "/health/ready", null);
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("archive directory").contains("does not exist");
    }

    static void insertFile(String name, String key, long offset, long length) throws Exception {
        insertFile(PG, name, key, offset, length);
    }

    /** A des.files row (and its des.shards row) naming any key, as a broken database might. */
    static void insertFile(PostgresDatabase pg, String name, String key, long offset, long length)
            throws Exception {
        try (Connection c = pg.connect();
                PreparedStatement shard =
                        c.prepareStatement(
                                "INSERT INTO des.shards (object_key, shard_id, seq, size, files,"
                                        + " checksum, status, source) VALUES (?, 0, ?, 1, 1, 'x',"
                                        + " 'complete', 'test') ON CONFLICT (object_key) DO"
                                        + " NOTHING");
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO des.files (name, object_key, \"offset\", length,"
                                        + " checksum, source) VALUES (?, ?, ?, ?, '00000000',"
                                        + " 'test')")) {
            shard.setString(1, key);
            shard.setLong(2, EXTRA_SEQ.incrementAndGet());
            shard.executeUpdate();
            ps.setString(1, name);
            ps.setString(2, key);
            ps.setLong(3, offset);
            ps.setLong(4, length);
            ps.executeUpdate();
        }
    }
}
