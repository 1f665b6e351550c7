package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.testing.PostgresDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiServerITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(ApiServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void liveReadyAndMetricsWithAReachableDatabase() throws Exception {
        ApiConfig cfg =
                new ApiConfig("127.0.0.1", 0, 2, new JdbcSettings(PG.jdbcUrl(), PG.user(), ""));
        try (ApiServer server = new ApiServer(cfg).start()) {
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(server, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"ready\"");

            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type").orElse(""))
                    .startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("jvm_memory_used_bytes")
                    .contains(
                            "datafabric_api_requests_seconds_count{route=\"/health/ready\",status=\"200\"}");
            assertThat(get(server, "/no/such/route").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void notReadyWithTheReasonWhenTheDatabaseIsUnreachable() throws Exception {
        ApiConfig cfg =
                new ApiConfig(
                        "127.0.0.1",
                        0,
                        1,
                        new JdbcSettings("jdbc:postgresql://127.0.0.1:1/nothing", "nobody", ""));
        try (ApiServer server = new ApiServer(cfg).start()) {
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(server, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("database unreachable");
        }
    }
}
