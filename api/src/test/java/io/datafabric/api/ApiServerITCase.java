package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.datafabric.api.files.ShardOwnership;
import io.datafabric.api.http.RouteTable;
import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Health, readiness, metrics, openapi and graceful shutdown. */
class ApiServerITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

    static ApiFixture fx;
    static ApiServer server;

    @BeforeAll
    static void start() {
        fx = new ApiFixture(PG, S3);
        server = fx.start();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void liveReadyAndMetricsWithReachableDatabaseAndStorage() throws Exception {
        assertThat(fx.get(server, "/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = fx.get(server, "/health/ready", null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"ready\"");
        assertThat(ready.headers().firstValue("X-Request-Id")).isPresent();

        assertThat(fx.get(server, "/metrics", null).statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = fx.get(server, "/metrics", fx.adminToken(server));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type").orElse(""))
                .startsWith("text/plain");
        assertThat(metrics.body())
                .contains("jvm_memory_used_bytes")
                .contains(
                        "datafabric_api_requests_seconds_count{method=\"GET\",route=\"/health/ready\",status=\"200\"}");
        HttpResponse<String> missing = fx.get(server, "/no/such/route", fx.adminToken(server));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(ApiFixture.json(missing).get("error").asText()).isEqualTo("not_found");
        assertThat(fx.get(server, "/users", "bad").statusCode()).isEqualTo(401);
        assertThat(fx.get(server, "/usage/1", fx.adminToken(server)).statusCode()).isEqualTo(404);
        // every request, failed or not, has left the in-flight count (graceful shutdown waits on
        // it)
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () ->
                                server.registry()
                                                .get("datafabric.api.requests.in_flight")
                                                .gauge()
                                                .value()
                                        == 0);
    }

    @Test
    void metricsAcceptTheScrapeToken() throws Exception {
        ApiServer scraped = fx.start(b -> b.metricsToken("scrape-token-0123456789"));
        assertThat(fx.get(scraped, "/metrics", "scrape-token-0123456789").statusCode())
                .isEqualTo(200);
        assertThat(fx.get(scraped, "/metrics", "wrong").statusCode()).isEqualTo(401);
        assertThat(fx.get(scraped, "/audit", "scrape-token-0123456789").statusCode())
                .isEqualTo(401);
    }

    @Test
    void notReadyWithTheReasonWhenTheDatabaseIsUnreachable() throws Exception {
        ApiConfig cfg =
                ApiConfig.defaults(
                        new JdbcSettings("jdbc:postgresql://127.0.0.1:1/nothing", "nobody", ""),
                        ApiFixture.SECRET);
        try (ApiServer down = new ApiServer(cfg).start()) {
            assertThat(fx.get(down, "/health/live", null).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = fx.get(down, "/health/ready", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body())
                    .contains("database unreachable")
                    .contains("storage unreachable");
        }
    }

    /**
     * Fails when a route is registered but missing from /openapi.json (or documented with other
     * roles).
     */
    @Test
    void openapiListsEveryRouteWithItsRoles() throws Exception {
        HttpResponse<String> r = fx.get(server, "/openapi.json", fx.adminToken(server));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode paths = ApiFixture.json(r).get("paths");
        Set<String> missing = new TreeSet<>();
        Set<String> documented = new HashSet<>();
        for (RouteTable.Route route : server.routes()) {
            String path = route.path().replace("<", "{").replace(">", "}");
            String method = route.method().name().toLowerCase(Locale.ROOT);
            JsonNode op = paths.path(path).path(method);
            if (op.isMissingNode()) {
                missing.add(route.method() + " " + path);
                continue;
            }
            documented.add(path + " " + method);
            Set<String> roles = new TreeSet<>();
            op.path("x-roles").forEach(n -> roles.add(n.asText()));
            Set<String> expected = new TreeSet<>();
            route.roles().forEach(role -> expected.add(role.id()));
            assertThat(roles).as("x-roles of " + route.method() + " " + path).isEqualTo(expected);
        }
        assertThat(missing).as("routes missing from openapi.json").isEmpty();
        // and nothing documented that does not exist
        Set<String> extra = new TreeSet<>();
        paths.fieldNames()
                .forEachRemaining(
                        p ->
                                paths.get(p)
                                        .fieldNames()
                                        .forEachRemaining(
                                                m -> {
                                                    if (!documented.contains(p + " " + m)) {
                                                        extra.add(m + " " + p);
                                                    }
                                                }));
        assertThat(extra).as("documented routes that do not exist").isEmpty();
    }

    @Test
    void shutdownTurnsReadinessOffAndFinishesWhatIsInFlight() throws Exception {
        // A fake owner of every shard that answers only when released: a file read forwarded to
        // it stays in flight as long as the test wants.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        HttpServer owner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        owner.setExecutor(Executors.newCachedThreadPool());
        owner.createContext(
                "/",
                exchange -> {
                    arrived.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    byte[] body = "slow body".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        owner.start();
        try {
            List<String> problems = new ArrayList<>();
            ApiServer s =
                    fx.start(
                            b ->
                                    b.router(
                                            ShardOwnership.parse(
                                                    1,
                                                    "none",
                                                    List.of(
                                                            "0-1=http://127.0.0.1:"
                                                                    + owner.getAddress().getPort()),
                                                    problems)));
            assertThat(problems).isEmpty();
            String token = fx.adminToken(s);
            CompletableFuture<HttpResponse<String>> inFlight =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return fx.get(s, "/files/some/file", token);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            assertThat(arrived.await(20, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> fx.get(s, "/health/ready", null).statusCode() == 503);
            HttpResponse<String> refused = fx.get(s, "/users", token);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(closing).isNotDone();
            release.countDown();
            HttpResponse<String> finished = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("slow body");
            closing.get(20, TimeUnit.SECONDS);
            assertThat(catchThrowable(() -> fx.get(s, "/health/live", null))).isNotNull();
        } finally {
            release.countDown();
            owner.stop(0);
        }
    }
}
