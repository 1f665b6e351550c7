package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.api.ApiFixture.Packed;
import io.datafabric.api.files.ArchiveLocation;
import io.datafabric.api.files.ShardOwnership;
import io.datafabric.des.io.S3ObjectSink;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET and HEAD /files/{name} against shards in S3Proxy, the router, and the shared Redis cache. */
class FilesITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

    static ApiFixture fx;
    static ApiServer server;
    static String token;
    static final List<Packed> FILES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(PG, S3);
        server = fx.start();
        token = fx.tokenFor(server, "file_reader", "reader");
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            byte[] body = new byte[i == 0 ? 0 : 100 + random.nextInt(5000)];
            random.nextBytes(body);
            FILES.add(new Packed("docs/f" + i + ".bin", body, "application/x-test-" + i));
        }
        FILES.add(
                new Packed(
                        "hello world.txt",
                        "hello, world".getBytes(StandardCharsets.UTF_8),
                        "text/plain"));
        fx.pack(FILES.subList(0, 20));
        fx.pack(FILES.subList(20, FILES.size()));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    HttpResponse<byte[]> fetch(ApiServer s, String method, String name, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(
                                URI.create(fx.base(s) + "/files/" + name.replace(" ", "%20")))
                        .timeout(Duration.ofSeconds(20))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        return fx.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void getReturnsTheBodyWithTypeLengthAndEtag() throws Exception {
        for (Packed f : FILES) {
            HttpResponse<byte[]> r = fetch(server, "GET", f.name(), Map.of());
            assertThat(r.statusCode()).as(f.name()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(f.body());
            assertThat(r.headers().firstValue("Content-Type")).contains(f.contentType());
            assertThat(r.headers().firstValue("Content-Length"))
                    .contains(Integer.toString(f.body().length));
            assertThat(r.headers().firstValue("ETag").orElse("")).matches("\"[0-9a-f]{8}\"");
        }
    }

    @Test
    void headHasTheHeadersAndNoBody() throws Exception {
        Packed f = FILES.get(5);
        HttpResponse<byte[]> r = fetch(server, "HEAD", f.name(), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Length"))
                .contains(Integer.toString(f.body().length));
        assertThat(r.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(fetch(server, "HEAD", "docs/none", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void rangeRequestsGetPartialContent() throws Exception {
        Packed f = FILES.get(7);
        int n = f.body().length;
        HttpResponse<byte[]> r = fetch(server, "GET", f.name(), Map.of("Range", "bytes=10-49"));
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(f.body(), 10, 50));
        assertThat(r.headers().firstValue("Content-Range")).contains("bytes 10-49/" + n);

        HttpResponse<byte[]> suffix = fetch(server, "GET", f.name(), Map.of("Range", "bytes=-16"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(f.body(), n - 16, n));

        HttpResponse<byte[]> open = fetch(server, "GET", f.name(), Map.of("Range", "bytes=50-"));
        assertThat(open.body()).isEqualTo(java.util.Arrays.copyOfRange(f.body(), 50, n));

        HttpResponse<byte[]> past =
                fetch(server, "GET", f.name(), Map.of("Range", "bytes=" + n + "-"));
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).contains("bytes */" + n);
        assertThat(new String(past.body(), StandardCharsets.UTF_8))
                .contains("range_not_satisfiable");

        // several ranges are not served as multipart: the whole body comes back
        HttpResponse<byte[]> multi =
                fetch(server, "GET", f.name(), Map.of("Range", "bytes=0-1,5-6"));
        assertThat(multi.statusCode()).isEqualTo(200);
        assertThat(multi.body()).isEqualTo(f.body());
    }

    @Test
    void etagMakesConditionalRequestsCheap() throws Exception {
        Packed f = FILES.get(3);
        String etag =
                fetch(server, "HEAD", f.name(), Map.of())
                        .headers()
                        .firstValue("ETag")
                        .orElseThrow();
        HttpResponse<byte[]> r = fetch(server, "GET", f.name(), Map.of("If-None-Match", etag));
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(
                        fetch(server, "GET", f.name(), Map.of("If-None-Match", "\"other\""))
                                .statusCode())
                .isEqualTo(200);
    }

    @Test
    void unknownNamesAre404WithAJsonError() throws Exception {
        HttpResponse<byte[]> r =
                fetch(server, "GET", "docs/nothing-" + UUID.randomUUID(), Map.of());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("no packed file named");
    }

    @Test
    void fileReadsAreCountedAndServedByThisInstance() throws Exception {
        Packed f = FILES.get(9);
        HttpResponse<byte[]> r = fetch(server, "GET", f.name(), Map.of());
        assertThat(r.headers().firstValue("X-DataFabric-Served-By")).contains(server.instanceId());
        assertThat(server.registry().get("datafabric.api.files.served").counter().count())
                .isPositive();
    }

    @Test
    void twoInstancesSplitTheShardsAndForwardToTheOwner() throws Exception {
        // Router with 1 bit: shard 0 on instance A, shard 1 on instance B.
        int portB = freePort();
        List<String> problems = new ArrayList<>();
        ApiServer a =
                fx.start(
                        b ->
                                b.router(
                                        ShardOwnership.parse(
                                                1,
                                                "0",
                                                List.of("1=http://127.0.0.1:" + portB),
                                                problems)));
        ApiServer bInstance =
                fx.start(
                        b ->
                                b.port(portB)
                                        .router(
                                                ShardOwnership.parse(
                                                        1,
                                                        "1",
                                                        List.of("0=" + fx.base(a)),
                                                        problems)));
        assertThat(problems).isEmpty();
        ShardOwnership router = ShardOwnership.parse(1, "all", List.of(), problems);
        int onA = 0;
        int onB = 0;
        for (Packed f : FILES) {
            String owner = router.shardOf(f.name()) == 0 ? a.instanceId() : bInstance.instanceId();
            for (ApiServer entry : List.of(a, bInstance)) {
                HttpResponse<byte[]> r = fetch(entry, "GET", f.name(), Map.of());
                assertThat(r.statusCode()).as(f.name()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(f.body());
                assertThat(r.headers().firstValue("X-DataFabric-Served-By")).contains(owner);
                assertThat(r.headers().firstValue("ETag")).isPresent();
                HttpResponse<byte[]> part =
                        fetch(entry, "GET", f.name(), Map.of("Range", "bytes=0-0"));
                if (f.body().length > 0) {
                    assertThat(part.statusCode()).isEqualTo(206);
                    assertThat(part.body()).containsExactly(f.body()[0]);
                }
            }
            if (owner.equals(a.instanceId())) {
                onA++;
            } else {
                onB++;
            }
        }
        assertThat(onA).isPositive();
        assertThat(onB).isPositive();
        // exactly one instance read each file: each served only its own shard's files
        // every GET of a file reached its owner only: two whole reads and (for non-empty files)
        // two range reads per file
        assertThat(a.registry().get("datafabric.api.files.served").counter().count())
                .isEqualTo(onA * 4.0 - countEmpty(router, 0) * 2.0);
        assertThat(bInstance.registry().get("datafabric.api.files.served").counter().count())
                .isEqualTo(onB * 4.0 - countEmpty(router, 1) * 2.0);
        assertThat(a.registry().get("datafabric.api.files.forwarded").counter().count())
                .isEqualTo(onB * 2.0);
        // a forwarded request for a missing file is the owner's 404
        assertThat(fetch(a, "GET", "nothing/here-" + UUID.randomUUID(), Map.of()).statusCode())
                .isEqualTo(404);
    }

    private static long countEmpty(ShardOwnership router, int shard) {
        return FILES.stream()
                .filter(f -> f.body().length == 0 && router.shardOf(f.name()) == shard)
                .count();
    }

    @Test
    void redisSharesTheIndexBetweenInstances() throws Exception {
        String redis = "redis://127.0.0.1:6379";
        ApiServer first = fx.start(b -> b.redis(redis));
        ApiServer second = fx.start(b -> b.redis(redis));
        String name = "shared/" + UUID.randomUUID() + ".txt";
        byte[] body = ("shared body " + name).getBytes(StandardCharsets.UTF_8);
        fx.pack(List.of(new Packed(name, body, "text/plain")));

        assertThat(fetch(first, "GET", name, Map.of()).body()).isEqualTo(body);
        assertThat(first.registry().get("datafabric.api.index.db.loads").counter().count())
                .isEqualTo(1.0);
        double before = second.registry().get("datafabric.api.index.db.loads").counter().count();
        HttpResponse<byte[]> r = fetch(second, "GET", name, Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
        // the second instance found the location in Redis, not in PostgreSQL
        assertThat(second.registry().get("datafabric.api.index.db.loads").counter().count())
                .isEqualTo(before);
        assertThat(second.registry().get("datafabric.api.index.shared.hits").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void eachReadIsOneRangeGetAndTheBodyCacheSavesRepeats() throws Exception {
        Packed f = FILES.get(11);
        double before =
                server.registry().get("datafabric.api.files.storage.reads").counter().count();
        fetch(server, "GET", f.name(), Map.of());
        fetch(server, "GET", f.name(), Map.of("Range", "bytes=1-2"));
        fetch(server, "HEAD", f.name(), Map.of());
        // without a body cache: one storage read per GET (the location is cached), none for HEAD
        assertThat(server.registry().get("datafabric.api.files.storage.reads").counter().count())
                .isEqualTo(before + 2);

        ApiServer cached = fx.start(b -> b.bodyCache(1 << 20, 2048));
        f =
                FILES.stream()
                        .filter(p -> p.body().length > 10 && p.body().length <= 2048)
                        .findFirst()
                        .orElseThrow();
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> r = fetch(cached, "GET", f.name(), Map.of());
            assertThat(r.body()).isEqualTo(f.body());
            HttpResponse<byte[]> part =
                    fetch(cached, "GET", f.name(), Map.of("Range", "bytes=3-9"));
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(f.body(), 3, 10));
        }
        assertThat(cached.registry().get("datafabric.api.files.storage.reads").counter().count())
                .isEqualTo(1.0);
        // files over the cache's per-file limit are read from storage every time
        Packed big = FILES.stream().filter(p -> p.body().length > 2048).findFirst().orElseThrow();
        assertThat(fetch(cached, "GET", big.name(), Map.of()).body()).isEqualTo(big.body());
        assertThat(fetch(cached, "GET", big.name(), Map.of()).body()).isEqualTo(big.body());
        assertThat(cached.registry().get("datafabric.api.files.storage.reads").counter().count())
                .isEqualTo(3.0);
    }

    static int freePort() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code archive.uri: s3://bucket/path}: keys are relative to the path. */
    @Test
    void anS3ArchiveWithAPathReadsKeysUnderIt() throws Exception {
        Packed f =
                new Packed(
                        "prefixed/one.txt",
                        "under a prefix".getBytes(StandardCharsets.UTF_8),
                        "text/plain");
        String key = "des/docs/shard-00001/000000000001.des";
        fx.packInto(
                new S3ObjectSink(S3.client(), S3.bucket(), ""), "arch/v1/" + key, key, List.of(f));
        ApiServer s3Server =
                fx.start(
                        b -> b.archive(ArchiveLocation.parse("s3://" + S3.bucket() + "/arch/v1/")));
        HttpResponse<byte[]> r = fetch(s3Server, "GET", f.name(), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(f.body());
        assertThat(fx.get(s3Server, "/health/ready", null).statusCode()).isEqualTo(200);
        LocalArchiveITCase.insertFile(PG, "prefixed/evil.bin", "../" + key, 0, 3);
        HttpResponse<byte[]> evil = fetch(s3Server, "GET", "prefixed/evil.bin", Map.of());
        assertThat(evil.statusCode()).isEqualTo(502);
        assertThat(new String(evil.body(), StandardCharsets.UTF_8)).contains("bad_object_key");
    }
}
