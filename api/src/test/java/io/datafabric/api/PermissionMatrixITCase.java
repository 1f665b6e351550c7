package io.datafabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.api.http.RouteTable;
import io.datafabric.api.role.Role;
import io.datafabric.testing.PostgresDatabase;
import io.datafabric.testing.S3ProxyServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Route by route: 401 without a token, 403 with each role the route does not allow, and neither
 * with each role it allows. The route list comes from the server itself, so a new route is tested
 * the moment it exists.
 */
class PermissionMatrixITCase {
    @RegisterExtension static final PostgresDatabase PG = new PostgresDatabase();
    @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();

    static ApiFixture fx;
    static ApiServer server;
    static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(PG, S3);
        server = fx.start(b -> b.rateLimit(0, 1));
        TOKENS.put(Role.ADMIN, fx.adminToken(server));
        for (Role r : List.of(Role.PUBLISHER, Role.APPROVER, Role.CONSUMER, Role.READER)) {
            TOKENS.put(r, fx.tokenFor(server, "only_" + r.id(), r.id()));
        }
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static String sample(String path) {
        return path.replace("{id}", "sample_ds")
                .replace("{consumerId}", "42")
                .replace("{username}", "nobody_here")
                .replace("{grantee}", "nobody_here")
                .replace("<name>", "some/file.txt");
    }

    static String body(RouteTable.Route route) {
        return switch (route.method()) {
            case POST, PUT -> "{}";
            default -> null;
        };
    }

    @TestFactory
    Stream<DynamicTest> everyRouteEnforcesItsRoles() {
        List<DynamicTest> tests = new ArrayList<>();
        for (RouteTable.Route route : server.routes()) {
            String path = sample(route.path());
            String method = route.method().name();
            if (route.roles().contains(Role.PUBLIC)) {
                tests.add(
                        DynamicTest.dynamicTest(
                                method + " " + route.path() + " is public",
                                () -> {
                                    HttpResponse<String> r =
                                            fx.send(server, method, path, null, body(route));
                                    assertThat(r.statusCode()).as(r.body()).isNotIn(401, 403);
                                }));
                continue;
            }
            tests.add(
                    DynamicTest.dynamicTest(
                            method + " " + route.path() + " without token -> 401",
                            () -> {
                                HttpResponse<String> r =
                                        fx.send(server, method, path, null, body(route));
                                assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
                                if (!method.equals("HEAD")) {
                                    assertThat(ApiFixture.json(r).get("error").asText())
                                            .isEqualTo("unauthorized");
                                }
                            }));
            tests.add(
                    DynamicTest.dynamicTest(
                            method + " " + route.path() + " with a bad token -> 401",
                            () ->
                                    assertThat(
                                                    fx.send(
                                                                    server,
                                                                    method,
                                                                    path,
                                                                    "not.a.jwt",
                                                                    body(route))
                                                            .statusCode())
                                            .isEqualTo(401)));
            for (Role role : TOKENS.keySet()) {
                boolean allowed = route.roles().contains(Role.ANY) || route.roles().contains(role);
                tests.add(
                        DynamicTest.dynamicTest(
                                method
                                        + " "
                                        + route.path()
                                        + " as "
                                        + role.id()
                                        + (allowed ? " -> allowed" : " -> 403"),
                                () -> {
                                    HttpResponse<String> r =
                                            fx.send(
                                                    server,
                                                    method,
                                                    path,
                                                    TOKENS.get(role),
                                                    body(route));
                                    if (allowed) {
                                        assertThat(r.statusCode())
                                                .as(method + " " + path + ": " + r.body())
                                                .isNotIn(401, 403)
                                                .isLessThan(500);
                                    } else {
                                        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
                                    }
                                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theMatrixHasEveryRouteOfTheIssue() {
        List<String> names =
                server.routes().stream().map(r -> r.method() + " " + r.path()).toList();
        assertThat(names)
                .contains(
                        "POST /auth/login",
                        "GET /files/<name>",
                        "HEAD /files/<name>",
                        "GET /usage/{consumerId}",
                        "GET /usage/top",
                        "GET /usage/{consumerId}/periods",
                        "GET /audit",
                        "GET /datasets",
                        "GET /datasets/{id}",
                        "POST /datasets",
                        "DELETE /datasets/{id}",
                        "POST /datasets/{id}/consumers",
                        "DELETE /consumers/{id}",
                        "PUT /consumers/{id}/rules",
                        "POST /consumers/{id}/approve",
                        "POST /consumers/{id}/reject",
                        "GET /datasets/{id}/consumers",
                        "GET /consumers/{id}/tasks",
                        "GET /users",
                        "POST /users");
    }
}
