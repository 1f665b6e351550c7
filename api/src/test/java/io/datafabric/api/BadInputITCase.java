package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input of every kind gets a 4xx with a JSON body naming the problem, never a 500: malformed
 * and oversized JSON, unknown fields, wrong types, path traversal, over-long and invalid names,
 * SQL-looking strings.
 */
class BadInputITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

    static ApiFixture fx;
    static ApiServer server;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(PG, S3);
        server = fx.start(b -> b.maxBodyBytes(4096).rateLimit(0, 1));
        admin = fx.adminToken(server);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /** Asserts a 4xx JSON error whose message contains {@code naming}. */
    static JsonNode rejected(HttpResponse<String> r, int status, String naming) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/json");
        JsonNode body = ApiFixture.json(r);
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.get("message").asText()).containsIgnoringCase(naming);
        return body;
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return fx.send(server, "POST", path, admin, body);
    }

    @Test
    void malformedJson() throws Exception {
        rejected(post("/users", "{\"username\": \"a\","), 400, "malformed JSON");
        rejected(post("/users", "{username: a}"), 400, "malformed JSON");
        rejected(post("/datasets", "[1, 2"), 400, "malformed JSON");
        rejected(
                post("/auth/login", "{\"username\":\"a\",\"password\":\"b\"} trailing"),
                400,
                "JSON");
        rejected(post("/users", ""), 400, "empty");
        rejected(post("/users", "null"), 400, "null");
        rejected(post("/datasets", "\"a string\""), 400, "JSON object");
    }

    @Test
    void oversizedJson() throws Exception {
        String big = "{\"username\": \"" + "x".repeat(10_000) + "\"}";
        rejected(post("/users", big), 413, "larger than");
        String deep = "[".repeat(500) + "]".repeat(500);
        HttpResponse<String> r = post("/datasets", deep);
        assertThat(r.statusCode()).isBetween(400, 499);
    }

    @Test
    void unknownFields() throws Exception {
        rejected(
                post(
                        "/users",
                        "{\"username\":\"u1\",\"password\":\"long-enough-pw\",\"roles\":[\"reader\"],\"isAdmin\":true}"),
                400,
                "unknown field 'isAdmin'");
        rejected(
                post("/datasets", "{\"name\":\"d1\",\"parent\":\"x\",\"sql\":\"select 1\"}"),
                400,
                "unknown field 'sql'");
        rejected(
                post("/auth/login", "{\"username\":\"a\",\"password\":\"b\",\"otp\":1}"),
                400,
                "unknown field 'otp'");
    }

    @Test
    void wrongTypes() throws Exception {
        rejected(
                post(
                        "/users",
                        "{\"username\":\"u2\",\"password\":\"long-enough-pw\",\"roles\":\"reader\"}"),
                400,
                "roles");
        rejected(post("/auth/login", "{\"username\":42,\"password\":\"x\"}"), 400, "username");
        rejected(
                post("/datasets", "{\"name\":42,\"parent\":\"x\"}"),
                400,
                "'name' must be a string");
        rejected(
                post(
                        "/users",
                        "{\"username\":\"u3\",\"password\":\"long-enough-pw\",\"roles\":[\"root\"]}"),
                400,
                "unknown role 'root'");
        rejected(fx.get(server, "/usage/top?limit=ten", admin), 400, "limit");
        rejected(fx.get(server, "/usage/12x", admin), 400, "consumerId");
        rejected(fx.get(server, "/datasets?limit=-1", admin), 400, "limit");
        rejected(
                fx.send(
                        server,
                        "POST",
                        "/users",
                        admin,
                        "username=a",
                        Map.of("Content-Type", "application/x-www-form-urlencoded")),
                415,
                "application/json");
    }

    @Test
    void pathTraversal() throws Exception {
        rejected(fx.get(server, "/files/a/%2e%2e/b", admin), 400, "'..'");
        rejected(fx.get(server, "/files/%2e%2e/%2e%2e/etc/passwd", admin), 400, "'..'");
        rejected(fx.get(server, "/files/a/..%2f..%2fetc", admin), 400, "'..'");
        rejected(fx.get(server, "/files/a%5cb", admin), 400, "backslash");
        // Jetty itself refuses an encoded NUL in the path, also as JSON
        rejected(fx.get(server, "/files/a%00b", admin), 400, "malformed");
        rejected(fx.get(server, "/files/a%01b", admin), 400, "control character");
        // a raw ../ that reaches the server is refused as JSON as well, not served from elsewhere
        String raw = rawGet("/files/../../etc/passwd");
        assertThat(raw).startsWith("HTTP/1.1 4");
        assertThat(raw).contains("application/json");
        assertThat(raw).doesNotContain("root:");
    }

    private String rawGet(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(
                    ("GET "
                                    + path
                                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                    + admin
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void overLongAndInvalidNames() throws Exception {
        rejected(fx.get(server, "/files/" + "n".repeat(2000), admin), 400, "longer than 1024");
        rejected(fx.get(server, "/datasets/" + "d".repeat(300), admin), 400, "too long");
        rejected(fx.get(server, "/datasets/9starts_with_digit", admin), 400, "invalid");
        rejected(fx.get(server, "/datasets/has-dash", admin), 400, "invalid");
        rejected(
                post("/datasets", "{\"name\":\"" + "x".repeat(64) + "\",\"parent\":\"p\"}"),
                400,
                "invalid");
        rejected(
                post(
                        "/users",
                        "{\"username\":\"bad name\",\"password\":\"long-enough-pw\",\"roles\":[\"reader\"]}"),
                400,
                "invalid");
        rejected(
                post(
                        "/users",
                        "{\"username\":\"shortpw\",\"password\":\"short\",\"roles\":[\"reader\"]}"),
                400,
                "at least 12");
        rejected(fx.get(server, "/users/" + "u".repeat(100), admin), 400, "invalid");
    }

    @Test
    void sqlLookingStrings() throws Exception {
        rejected(
                fx.get(server, "/datasets/x%27%3B%20DROP%20TABLE%20api.users%3B--", admin),
                400,
                "invalid");
        rejected(fx.get(server, "/datasets?name=%27%20OR%201%3D1--", admin), 400, "name");
        rejected(fx.get(server, "/usage/1%20OR%201=1", admin), 400, "consumerId");
        rejected(
                post("/datasets", "{\"name\":\"x; DROP TABLE drms.datasets\",\"parent\":\"p\"}"),
                400,
                "invalid");
        rejected(fx.get(server, "/audit?user=admin%27--", admin), 400, "invalid");
        HttpResponse<String> login =
                post("/auth/login", "{\"username\":\"' OR '1'='1\",\"password\":\"' OR '1'='1\"}");
        assertThat(login.statusCode()).isEqualTo(401);
        // a file name may hold quotes: it is a parameter, never SQL
        rejected(fx.get(server, "/files/x%27%20OR%20%271%27%3D%271", admin), 404, "no packed file");
        // the tables are still there
        assertThat(PG.queryLong("SELECT count(*) FROM api.users")).isPositive();
    }

    @Test
    void neverA500() throws Exception {
        String[] bodies = {
            "{",
            "}",
            "[]",
            "0",
            "true",
            "{\"a\":",
            "{\"name\":null}",
            "{\"name\":[]}",
            "{\"name\":{}}",
            "\u0000",
            "{\"name\":\"\\ud800\"}",
            "{\"name\":\"a\",\"parent\":7}",
            "{\"name\":\"a\",\"connection\":\"c\",\"table\":\"t\",\"cursor\":\"x\"}",
            "{\"name\":\"a\",\"parent\":\"p\",\"filter\":{\"column\":\"x\",\"op\":\"~~\",\"value\":1}}"
        };
        String[] paths = {
            "/users",
            "/datasets",
            "/auth/login",
            "/auth/refresh",
            "/datasets/d/consumers",
            "/datasets/d/grants"
        };
        for (String path : paths) {
            for (String body : bodies) {
                HttpResponse<String> r = post(path, body);
                assertThat(r.statusCode())
                        .as(path + " " + body + " -> " + r.body())
                        .isBetween(400, 499);
                assertThat(ApiFixture.json(r).has("message")).isTrue();
            }
        }
        for (String path :
                new String[] {
                    "/consumers/c/rules", "/users/x/roles", "/users/x/password", "/connections/c"
                }) {
            for (String body : bodies) {
                HttpResponse<String> r = fx.send(server, "PUT", path, admin, body);
                assertThat(r.statusCode())
                        .as(path + " " + body + " -> " + r.body())
                        .isBetween(400, 499);
            }
        }
    }
}
