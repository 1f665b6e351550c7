package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datafabric.testing.PostgresDatabase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The usage routes over usage.totals and usage.by_period. */
class UsageITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    static ApiFixture fx;
    static ApiServer server;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(PG, null);
        server = fx.start();
        token = fx.tokenFor(server, "usage_reader", "reader");
        PG.execute(
                "INSERT INTO usage.totals (consumer_id, total) VALUES (1, 500), (2, 7000000000),"
                        + " (3, 20), (4, 500)");
        PG.execute(
                "INSERT INTO usage.by_period (consumer_id, period_start, amount) VALUES"
                        + " (1, '2026-01-01T00:00:00Z', 100), (1, '2026-01-01T01:00:00Z', 150),"
                        + " (1, '2026-01-01T02:00:00Z', 250), (2, '2026-01-01T00:00:00Z', 5)");
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void totalOfOneConsumer() throws Exception {
        HttpResponse<String> r = fx.get(server, "/usage/2", token);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ApiFixture.json(r);
        assertThat(body.get("consumerId").asLong()).isEqualTo(2);
        assertThat(body.get("total").asLong()).isEqualTo(7_000_000_000L);
        assertThat(body.get("updatedAt").asText()).isNotBlank();
        assertThat(fx.get(server, "/usage/999", token).statusCode()).isEqualTo(404);
        assertThat(fx.get(server, "/usage/abc", token).statusCode()).isEqualTo(400);
    }

    @Test
    void topConsumersByTotal() throws Exception {
        JsonNode top = ApiFixture.json(fx.get(server, "/usage/top?limit=3", token)).get("top");
        assertThat(top).hasSize(3);
        assertThat(top.get(0).get("consumerId").asLong()).isEqualTo(2);
        assertThat(top.get(1).get("consumerId").asLong()).isEqualTo(1);
        assertThat(top.get(2).get("consumerId").asLong()).isEqualTo(4);
        assertThat(ApiFixture.json(fx.get(server, "/usage/top", token)).get("top")).hasSize(4);
        assertThat(fx.get(server, "/usage/top?limit=0", token).statusCode()).isEqualTo(400);
        assertThat(fx.get(server, "/usage/top?limit=x", token).statusCode()).isEqualTo(400);
    }

    @Test
    void periodsInAnInterval() throws Exception {
        JsonNode all = ApiFixture.json(fx.get(server, "/usage/1/periods", token));
        assertThat(all.get("periods")).hasSize(3);
        assertThat(all.get("sum").asLong()).isEqualTo(500);
        JsonNode some =
                ApiFixture.json(
                        fx.get(
                                server,
                                "/usage/1/periods?from=2026-01-01T01:00:00Z&to=2026-01-01T02:00:00Z",
                                token));
        assertThat(some.get("periods")).hasSize(1);
        assertThat(some.get("periods").get(0).get("amount").asLong()).isEqualTo(150);
        assertThat(some.get("periods").get(0).get("periodStart").asText())
                .isEqualTo("2026-01-01T01:00:00Z");
        HttpResponse<String> bad = fx.get(server, "/usage/1/periods?from=yesterday", token);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("ISO-8601");
        assertThat(
                        fx.get(
                                        server,
                                        "/usage/1/periods?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
                                        token)
                                .statusCode())
                .isEqualTo(400);
    }
}
