package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.datafabric.api.http.Json;
import io.datafabric.testing.PostgresDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The replication catalog against the drms control plane in PostgreSQL, with the test database
 * itself as the replicated source: publish, describe, grants, consumers, approval, task history,
 * 409 and 422 cases, and the audit records of the changes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    static ApiFixture fx;
    static ApiServer server;
    static String admin;
    static String publisher;
    static String approver;
    static String consumer;
    static String otherConsumer;

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(PG, null);
        server = fx.start(b -> b.rateLimit(0, 1));
        admin = fx.adminToken(server);
        publisher = fx.tokenFor(server, "pub", "publisher");
        approver = fx.tokenFor(server, "appr", "approver");
        consumer = fx.tokenFor(server, "cons", "consumer");
        otherConsumer = fx.tokenFor(server, "cons2", "consumer");
        for (String t : List.of("orders", "orders_copy")) {
            PG.execute(
                    "CREATE TABLE public."
                            + t
                            + " (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, region"
                            + " text, amount numeric(12,2))");
        }
        HttpResponse<String> conn =
                fx.send(
                        server,
                        "PUT",
                        "/connections/src",
                        admin,
                        Json.write(
                                Map.of(
                                        "dialect", "postgres",
                                        "url", PG.jdbcUrl(),
                                        "user", PG.user())));
        assertThat(conn.statusCode()).as(conn.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    HttpResponse<String> post(String path, String token, Object body) throws Exception {
        return fx.send(server, "POST", path, token, Json.write(body));
    }

    @Test
    @Order(1)
    void publishTablesAndSlicesAndDescribeThem() throws Exception {
        HttpResponse<String> r =
                post(
                        "/datasets",
                        publisher,
                        Map.of(
                                "name", "orders",
                                "connection", "src",
                                "table", "public.orders",
                                "cursor", List.of("updated_at", "id"),
                                "description", "all orders"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).contains("/datasets/orders");
        HttpResponse<String> slice =
                post(
                        "/datasets",
                        publisher,
                        Map.of(
                                "name",
                                "eu_orders",
                                "parent",
                                "orders",
                                "columns",
                                List.of("id", "updated_at", "amount"),
                                "filter",
                                Map.of("column", "region", "op", "=", "value", "eu")));
        assertThat(slice.statusCode()).as(slice.body()).isEqualTo(201);
        assertThat(
                        post(
                                        "/datasets",
                                        publisher,
                                        Map.of(
                                                "name", "orders_copy",
                                                "connection", "src",
                                                "table", "public.orders_copy",
                                                "cursor", List.of("updated_at", "id")))
                                .statusCode())
                .isEqualTo(201);

        JsonNode orders = ApiFixture.json(fx.get(server, "/datasets/orders", approver));
        assertThat(orders.get("description").asText()).isEqualTo("all orders");
        JsonNode structure = orders.get("structure");
        List<String> columns = new ArrayList<>();
        structure
                .get("columns")
                .forEach(c -> columns.add(c.get("name").asText() + " " + c.get("type").asText()));
        assertThat(columns)
                .containsExactly(
                        "id int8", "updated_at timestamptz", "region text", "amount numeric");
        assertThat(structure.get("primaryKey").toString()).isEqualTo("[\"id\"]");

        JsonNode eu = ApiFixture.json(fx.get(server, "/datasets/eu_orders", admin));
        assertThat(eu.get("kind").asText()).isEqualTo("slice");
        List<String> euColumns = new ArrayList<>();
        eu.get("structure").get("columns").forEach(c -> euColumns.add(c.get("name").asText()));
        assertThat(euColumns).containsExactly("id", "updated_at", "amount");
    }

    @Test
    @Order(2)
    void publishingTwiceOrWithUnknownColumnsIsRefused() throws Exception {
        HttpResponse<String> twice =
                post(
                        "/datasets",
                        publisher,
                        Map.of(
                                "name",
                                "orders",
                                "connection",
                                "src",
                                "table",
                                "public.orders",
                                "cursor",
                                List.of("id")));
        assertThat(twice.statusCode()).isEqualTo(409);

        HttpResponse<String> unknown =
                post(
                        "/datasets",
                        publisher,
                        Map.of(
                                "name",
                                "bad_slice",
                                "parent",
                                "orders",
                                "columns",
                                List.of("id", "no_such_column"),
                                "filter",
                                Map.of("column", "regionx", "op", "=", "value", "eu")));
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
        JsonNode details = ApiFixture.json(unknown).get("details");
        assertThat(details.toString()).contains("no_such_column").contains("regionx");
        assertThat(details.size()).isGreaterThanOrEqualTo(2);
        assertThat(fx.get(server, "/datasets/bad_slice", admin).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void listingIsPaginatedFilteredAndLimitedToGrantsForConsumers() throws Exception {
        JsonNode page1 = ApiFixture.json(fx.get(server, "/datasets?limit=2", publisher));
        assertThat(page1.get("datasets")).hasSize(2);
        assertThat(page1.get("datasets").get(0).get("name").asText()).isEqualTo("eu_orders");
        String next = page1.get("next").asText();
        JsonNode page2 =
                ApiFixture.json(fx.get(server, "/datasets?limit=2&after=" + next, publisher));
        assertThat(page2.get("datasets")).hasSize(1);
        assertThat(page2.get("next").isNull()).isTrue();
        JsonNode filtered = ApiFixture.json(fx.get(server, "/datasets?name=COPY", publisher));
        assertThat(filtered.get("datasets")).hasSize(1);

        // a consumer sees nothing until a dataset is granted to it
        assertThat(ApiFixture.json(fx.get(server, "/datasets", consumer)).get("datasets"))
                .isEmpty();
        assertThat(fx.get(server, "/datasets/orders", consumer).statusCode()).isEqualTo(404);
        assertThat(
                        post("/datasets/orders/grants", publisher, Map.of("username", "cons"))
                                .statusCode())
                .isEqualTo(201);
        assertThat(
                        post("/datasets/orders/grants", publisher, Map.of("username", "ghost"))
                                .statusCode())
                .isEqualTo(404);
        JsonNode visible = ApiFixture.json(fx.get(server, "/datasets", consumer)).get("datasets");
        assertThat(visible).hasSize(1);
        assertThat(visible.get(0).get("name").asText()).isEqualTo("orders");
        assertThat(fx.get(server, "/datasets/orders", consumer).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void consumersRegisterTheApproverDecidesAndTasksAreListed() throws Exception {
        Map<String, Object> spec =
                Map.of(
                        "name", "orders_to_copy",
                        "target", Map.of("connection", "src", "table", "public.orders_copy"),
                        "schedule", "5m",
                        "mode", "incremental");
        // not granted: the other consumer cannot register on it
        assertThat(post("/datasets/orders/consumers", otherConsumer, spec).statusCode())
                .isEqualTo(404);
        HttpResponse<String> r = post("/datasets/orders/consumers", consumer, spec);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(ApiFixture.json(r).get("status").asText()).isEqualTo("pending");
        assertThat(ApiFixture.json(r).get("owner").asText()).isEqualTo("cons");
        assertThat(post("/datasets/orders/consumers", consumer, spec).statusCode()).isEqualTo(409);

        JsonNode list = ApiFixture.json(fx.get(server, "/datasets/orders/consumers", approver));
        assertThat(list.get("consumers")).hasSize(1);

        // a consumer cannot approve itself
        assertThat(
                        fx.send(server, "POST", "/consumers/orders_to_copy/approve", consumer, null)
                                .statusCode())
                .isEqualTo(403);
        HttpResponse<String> approved =
                fx.send(server, "POST", "/consumers/orders_to_copy/approve", approver, null);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(ApiFixture.json(approved).get("status").asText()).isEqualTo("approved");
        assertThat(ApiFixture.json(approved).get("statusChangedBy").asText()).isEqualTo("appr");
        assertThat(
                        fx.send(server, "POST", "/consumers/nobody/approve", approver, null)
                                .statusCode())
                .isEqualTo(404);

        // rules: only its owner (or an admin) changes them, validated
        HttpResponse<String> bad =
                fx.send(
                        server,
                        "PUT",
                        "/consumers/orders_to_copy/rules",
                        consumer,
                        Json.write(
                                Map.of(
                                        "columns",
                                        List.of("id", "ghost_column"),
                                        "schedule",
                                        "1m")));
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);
        assertThat(bad.body()).contains("ghost_column");
        assertThat(
                        fx.send(
                                        server,
                                        "PUT",
                                        "/consumers/orders_to_copy/rules",
                                        otherConsumer,
                                        Json.write(Map.of("schedule", "1m")))
                                .statusCode())
                .isEqualTo(404);
        HttpResponse<String> ok =
                fx.send(
                        server,
                        "PUT",
                        "/consumers/orders_to_copy/rules",
                        consumer,
                        Json.write(Map.of("schedule", "1m", "mode", "incremental")));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ApiFixture.json(ok).get("spec").get("schedule").asText()).isEqualTo("1m");

        // task history comes from drms.tasks
        PG.execute(
                "INSERT INTO drms.tasks (edge_id, status, rows, finished_at) VALUES"
                        + " ('orders_to_copy', 'succeeded', 42, now()), ('other_edge', 'failed', 0,"
                        + " now())");
        JsonNode tasks =
                ApiFixture.json(fx.get(server, "/consumers/orders_to_copy/tasks", consumer));
        assertThat(tasks.get("tasks")).hasSize(1);
        assertThat(tasks.get("tasks").get(0).get("rows").asLong()).isEqualTo(42);
        assertThat(tasks.get("tasks").get(0).get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    @Order(5)
    void aConsumerClosingACycleIsRefusedWithTheReason() throws Exception {
        // orders -> orders_to_copy -> orders_copy; reading orders_copy back into orders closes a
        // cycle
        HttpResponse<String> r =
                post(
                        "/datasets/orders_copy/consumers",
                        admin,
                        Map.of(
                                "name",
                                "copy_back",
                                "target",
                                Map.of("connection", "src", "table", "public.orders")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(ApiFixture.json(r).get("details").toString()).containsIgnoringCase("cycle");
        assertThat(fx.get(server, "/consumers/copy_back", admin).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void deletingADatasetIs409WhileConsumersDependOnIt() throws Exception {
        HttpResponse<String> r = fx.send(server, "DELETE", "/datasets/orders", publisher, null);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(ApiFixture.json(r).get("details").toString())
                .contains("consumers.orders_to_copy")
                .contains("datasets.eu_orders");
        // the consumer removes its consumer, the publisher the slice, then the dataset goes
        assertThat(
                        fx.send(server, "DELETE", "/consumers/orders_to_copy", otherConsumer, null)
                                .statusCode())
                .isEqualTo(404);
        assertThat(
                        fx.send(server, "DELETE", "/consumers/orders_to_copy", consumer, null)
                                .statusCode())
                .isEqualTo(204);
        assertThat(fx.send(server, "DELETE", "/datasets/eu_orders", publisher, null).statusCode())
                .isEqualTo(204);
        assertThat(fx.send(server, "DELETE", "/datasets/orders", publisher, null).statusCode())
                .isEqualTo(204);
        assertThat(fx.send(server, "DELETE", "/datasets/orders", publisher, null).statusCode())
                .isEqualTo(404);
        assertThat(fx.get(server, "/datasets/orders", admin).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void everyCatalogChangeIsAudited() throws Exception {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            List<String> lines = new ArrayList<>();
                            ApiFixture.json(fx.get(server, "/audit?limit=200", admin))
                                    .get("records")
                                    .forEach(
                                            r ->
                                                    lines.add(
                                                            r.get("user").asText()
                                                                    + " "
                                                                    + r.get("method").asText()
                                                                    + " "
                                                                    + r.get("route").asText()
                                                                    + " "
                                                                    + r.get("object").asText()
                                                                    + " "
                                                                    + r.get("status").asInt()));
                            assertThat(lines)
                                    .contains(
                                            "pub POST /datasets dataset orders 201",
                                            "pub POST /datasets dataset orders 409",
                                            "pub POST /datasets dataset bad_slice 422",
                                            "cons POST /datasets/{id}/consumers consumer orders_to_copy of orders 201",
                                            "appr POST /consumers/{id}/approve consumer orders_to_copy 200",
                                            "pub DELETE /datasets/{id} dataset orders 409",
                                            "pub DELETE /datasets/{id} dataset orders 204",
                                            "root PUT /connections/{id} connection src 200");
                        });
    }
}
