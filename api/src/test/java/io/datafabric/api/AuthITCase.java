package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.datafabric.api.http.Json;
import io.datafabric.testing.PostgresDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Login, refresh, lockout, user management, rate limits and the audit trail. */
class AuthITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();

    static ApiFixture fx;
    static ApiServer server;

    @BeforeAll
    static void start() {
        fx = new ApiFixture(PG, null);
        server = fx.start(b -> b.login(3, Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    HttpResponse<String> login(String user, String password) throws Exception {
        return fx.send(
                server,
                "POST",
                "/auth/login",
                null,
                Json.write(Map.of("username", user, "password", password)));
    }

    @Test
    void firstAdminComesFromTheEnvironmentAndLogsIn() throws Exception {
        HttpResponse<String> r = login(ApiFixture.ADMIN, ApiFixture.ADMIN_PASSWORD);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ApiFixture.json(r);
        assertThat(body.get("accessToken").asText()).contains(".");
        assertThat(body.get("refreshToken").asText()).hasSizeGreaterThan(30);
        assertThat(body.get("expiresIn").asLong()).isEqualTo(900);
        assertThat(body.get("roles").toString()).isEqualTo("[\"admin\"]");
        // the password is stored as a bcrypt hash only
        String hash =
                String.valueOf(
                        PG.queryLong(
                                "SELECT count(*) FROM api.users WHERE password_hash LIKE '$2a$%'"));
        assertThat(hash).isNotEqualTo("0");
        // a second start does not create another admin
        fx.start();
        assertThat(PG.queryLong("SELECT count(*) FROM api.users WHERE 'admin' = ANY (roles)"))
                .isEqualTo(1L);
    }

    @Test
    void refreshTokensRotateAndWorkOnce() throws Exception {
        JsonNode first = ApiFixture.json(login(ApiFixture.ADMIN, ApiFixture.ADMIN_PASSWORD));
        String refresh = first.get("refreshToken").asText();
        HttpResponse<String> r =
                fx.send(
                        server,
                        "POST",
                        "/auth/refresh",
                        null,
                        Json.write(Map.of("refreshToken", refresh)));
        assertThat(r.statusCode()).isEqualTo(200);
        String newAccess = ApiFixture.json(r).get("accessToken").asText();
        assertThat(fx.get(server, "/users", newAccess).statusCode()).isEqualTo(200);
        // used once: a replay is refused
        assertThat(
                        fx.send(
                                        server,
                                        "POST",
                                        "/auth/refresh",
                                        null,
                                        Json.write(Map.of("refreshToken", refresh)))
                                .statusCode())
                .isEqualTo(401);
        // logout revokes the new one
        String second = ApiFixture.json(r).get("refreshToken").asText();
        assertThat(
                        fx.send(
                                        server,
                                        "POST",
                                        "/auth/logout",
                                        newAccess,
                                        Json.write(Map.of("refreshToken", second)))
                                .statusCode())
                .isEqualTo(204);
        assertThat(
                        fx.send(
                                        server,
                                        "POST",
                                        "/auth/refresh",
                                        null,
                                        Json.write(Map.of("refreshToken", second)))
                                .statusCode())
                .isEqualTo(401);
    }

    @Test
    void repeatedFailuresLockTheUser() throws Exception {
        fx.tokenFor(server, "lock_me", "reader");
        for (int i = 0; i < 2; i++) {
            assertThat(login("lock_me", "wrong-password-xx").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> third = login("lock_me", "wrong-password-xx");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        // even the right password is refused while locked
        HttpResponse<String> locked = login("lock_me", "lock_me-password-123");
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(ApiFixture.json(locked).get("message").asText()).contains("locked");
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 300L);
        // an admin's password reset unlocks
        assertThat(
                        fx.send(
                                        server,
                                        "PUT",
                                        "/users/lock_me/password",
                                        fx.adminToken(server),
                                        Json.write(Map.of("password", "a-new-password-456")))
                                .statusCode())
                .isEqualTo(204);
        assertThat(login("lock_me", "a-new-password-456").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordAndUnknownUserLookTheSame() throws Exception {
        HttpResponse<String> unknown = login("nobody_at_all", "whatever-password");
        HttpResponse<String> wrong = login(ApiFixture.ADMIN, "whatever-password");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(ApiFixture.json(unknown).get("message").asText())
                .isEqualTo(ApiFixture.json(wrong).get("message").asText());
        // reset the admin's failure count
        fx.adminToken(server);
        login(ApiFixture.ADMIN, ApiFixture.ADMIN_PASSWORD);
    }

    @Test
    void adminsManageUsersAndRoles() throws Exception {
        String admin = fx.adminToken(server);
        HttpResponse<String> created =
                fx.send(
                        server,
                        "POST",
                        "/users",
                        admin,
                        Json.write(
                                Map.of(
                                        "username", "mgmt_user",
                                        "password", "mgmt-password-123",
                                        "roles", List.of("reader"))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(
                        fx.send(
                                        server,
                                        "POST",
                                        "/users",
                                        admin,
                                        Json.write(
                                                Map.of(
                                                        "username", "mgmt_user",
                                                        "password", "mgmt-password-123",
                                                        "roles", List.of("reader"))))
                                .statusCode())
                .isEqualTo(409);
        assertThat(
                        fx.send(
                                        server,
                                        "PUT",
                                        "/users/mgmt_user/roles",
                                        admin,
                                        Json.write(Map.of("roles", List.of("reader", "approver"))))
                                .statusCode())
                .isEqualTo(200);
        String token = fx.login(server, "mgmt_user", "mgmt-password-123");
        assertThat(fx.send(server, "POST", "/consumers/x/approve", token, null).statusCode())
                .isEqualTo(404);
        JsonNode user = ApiFixture.json(fx.get(server, "/users/mgmt_user", admin));
        assertThat(user.get("roles").toString()).isEqualTo("[\"approver\",\"reader\"]");
        assertThat(fx.send(server, "DELETE", "/users/mgmt_user", admin, null).statusCode())
                .isEqualTo(204);
        assertThat(fx.get(server, "/users/mgmt_user", admin).statusCode()).isEqualTo(404);
        assertThat(login("mgmt_user", "mgmt-password-123").statusCode()).isEqualTo(401);
    }

    @Test
    void tokensOverTheirRateGet429WithRetryAfter() throws Exception {
        ApiServer limited = fx.start(b -> b.rateLimit(1, 5));
        String token = fx.login(limited, ApiFixture.ADMIN, ApiFixture.ADMIN_PASSWORD);
        int ok = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            HttpResponse<String> r = fx.get(limited, "/users", token);
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
                ok++;
            }
        }
        assertThat(refused).isNotNull();
        assertThat(ok).isBetween(5, 7);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(ApiFixture.json(refused).get("error").asText()).isEqualTo("rate_limited");
        // another token has its own bucket
        String other = fx.login(limited, ApiFixture.ADMIN, ApiFixture.ADMIN_PASSWORD);
        assertThat(fx.get(limited, "/users", other).statusCode()).isEqualTo(200);
        // and the bucket refills
        await().atMost(Duration.ofSeconds(5))
                .until(() -> fx.get(limited, "/users", token).statusCode() == 200);
    }

    @Test
    void changesAreAuditedAndQueryableByAdmins() throws Exception {
        String admin = fx.adminToken(server);
        fx.send(
                server,
                "POST",
                "/users",
                admin,
                Json.write(
                        Map.of(
                                "username", "audited_user",
                                "password", "audited-password-1",
                                "roles", List.of("reader"))));
        fx.send(server, "DELETE", "/users/audited_user", admin, null);
        fx.send(server, "DELETE", "/users/audited_user", admin, null);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            JsonNode records =
                                    ApiFixture.json(
                                                    fx.get(
                                                            server,
                                                            "/audit?user="
                                                                    + ApiFixture.ADMIN
                                                                    + "&limit=50",
                                                            admin))
                                            .get("records");
                            List<String> lines = new java.util.ArrayList<>();
                            records.forEach(
                                    r ->
                                            lines.add(
                                                    r.get("method").asText()
                                                            + " "
                                                            + r.get("route").asText()
                                                            + " "
                                                            + r.get("object").asText()
                                                            + " "
                                                            + r.get("status").asInt()));
                            assertThat(lines)
                                    .contains(
                                            "POST /users user audited_user 201",
                                            "DELETE /users/{username} audited_user 204",
                                            "DELETE /users/{username} audited_user 404");
                        });
        JsonNode one =
                ApiFixture.json(fx.get(server, "/audit?route=/users&limit=1", admin))
                        .get("records")
                        .get(0);
        assertThat(one.get("user").asText()).isEqualTo(ApiFixture.ADMIN);
        assertThat(one.get("requestId").asText()).isNotBlank();
        assertThat(one.get("at").asText()).isNotBlank();
        assertThat(fx.get(server, "/audit?from=notatime", admin).statusCode()).isEqualTo(400);
    }
}
