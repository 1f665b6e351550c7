package io.datafabric.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.datafabric.api.http.ApiError;
import io.datafabric.api.http.Json;
import io.datafabric.api.http.Names;
import io.datafabric.api.http.RouteTable;
import io.datafabric.api.http.Work;
import io.datafabric.api.role.Role;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login, refresh, logout and the admins' user management. Failed logins are counted per user in the
 * database (a user is locked for {@code api.login.lockout} after {@code api.login.max-failures}
 * failures, across all instances) and per client address in memory (so guessing names is slowed
 * too); both answer 429 with {@code Retry-After}.
 */
public final class AuthRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);

    /** {@code POST /auth/login} body. */
    public record LoginRequest(String username, String password) {}

    /** {@code POST /auth/refresh} and {@code /auth/logout} body. */
    public record RefreshRequest(String refreshToken) {}

    /** {@code POST /users} body. */
    public record NewUser(String username, String password, List<String> roles) {}

    /** {@code PUT /users/{username}/roles} body. */
    public record RolesRequest(List<String> roles) {}

    /** {@code PUT /users/{username}/password} body. */
    public record PasswordRequest(String password) {}

    private final UserStore users;
    private final Passwords passwords;
    private final Tokens tokens;
    private final Work work;
    private final int maxBody;
    private final int maxFailures;
    private final Duration lockout;
    private final Duration refreshTtl;
    private final Clock clock;
    private final Cache<String, AtomicInteger> failuresByAddress;

    public AuthRoutes(
            UserStore users,
            Passwords passwords,
            Tokens tokens,
            Work work,
            int maxBody,
            int maxFailures,
            Duration lockout,
            Duration refreshTtl,
            Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.work = work;
        this.maxBody = maxBody;
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
        this.failuresByAddress =
                Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(lockout).build();
    }

    /** Creates the first admin from the environment when there is no admin yet. */
    public void bootstrapAdmin(String username, String password) throws Exception {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            if (!users.anyAdmin()) {
                LOG.warn(
                        "no admin user exists and no first admin is configured (api.admin.user or"
                                + " DF_API_ADMIN_USER, and api.admin.password-file or"
                                + " DF_API_ADMIN_PASSWORD): nobody can log in until one is");
            }
            return;
        }
        Names.user("api.admin.user", username);
        checkPassword(password);
        if (!users.anyAdmin()) {
            users.create(username, passwords.hash(password), EnumSet.of(Role.ADMIN));
            LOG.info("created the first admin user '{}' from the configuration", username);
        }
    }

    public void register(RouteTable routes) {
        routes.add(
                HandlerType.POST, "/auth/login", ctx -> work.submit(ctx, this::login), Role.PUBLIC);
        routes.add(
                HandlerType.POST,
                "/auth/refresh",
                ctx -> work.submit(ctx, this::refresh),
                Role.PUBLIC);
        routes.add(
                HandlerType.POST, "/auth/logout", ctx -> work.submit(ctx, this::logout), Role.ANY);
        routes.add(HandlerType.GET, "/users", ctx -> work.submit(ctx, this::list), Role.ADMIN);
        routes.audited(
                HandlerType.POST, "/users", ctx -> work.submit(ctx, this::create), Role.ADMIN);
        routes.add(
                HandlerType.GET,
                "/users/{username}",
                ctx -> work.submit(ctx, this::get),
                Role.ADMIN);
        routes.audited(
                HandlerType.PUT,
                "/users/{username}/roles",
                ctx -> work.submit(ctx, this::setRoles),
                Role.ADMIN);
        routes.audited(
                HandlerType.PUT,
                "/users/{username}/password",
                ctx -> work.submit(ctx, this::setPassword),
                Role.ADMIN);
        routes.audited(
                HandlerType.DELETE,
                "/users/{username}",
                ctx -> work.submit(ctx, this::delete),
                Role.ADMIN);
    }

    private void login(Context ctx) throws Exception {
        LoginRequest req = Json.body(ctx, LoginRequest.class, maxBody);
        if (req.username() == null || req.password() == null) {
            throw ApiError.badRequest("fields 'username' and 'password' are required");
        }
        String address = ctx.ip();
        AtomicInteger byAddress = failuresByAddress.getIfPresent(address);
        if (byAddress != null && byAddress.get() >= maxFailures * 4) {
            throw ApiError.tooManyRequests(
                    "too many failed logins from this address", lockout.toSeconds());
        }
        Optional<UserStore.User> found =
                req.username().length() > 200 ? Optional.empty() : users.find(req.username());
        Instant now = clock.instant();
        if (found.isPresent()
                && found.get().lockedUntil() != null
                && found.get().lockedUntil().isAfter(now)) {
            long wait = Math.max(1, Duration.between(now, found.get().lockedUntil()).toSeconds());
            throw ApiError.tooManyRequests(
                    "user is locked after repeated failed logins; retry later", wait);
        }
        boolean ok;
        if (found.isEmpty()) {
            passwords.burn(req.password());
            ok = false;
        } else {
            ok =
                    !found.get().disabled()
                            && passwords.matches(req.password(), found.get().passwordHash());
        }
        if (!ok) {
            failuresByAddress.get(address, a -> new AtomicInteger()).incrementAndGet();
            if (found.isPresent()) {
                int count = users.recordFailure(req.username(), maxFailures, now.plus(lockout));
                if (count >= maxFailures) {
                    throw ApiError.tooManyRequests(
                            "user is locked after " + count + " failed logins",
                            lockout.toSeconds());
                }
            }
            throw ApiError.unauthorized("wrong username or password");
        }
        users.recordSuccess(req.username());
        ctx.json(issue(found.get().username(), found.get().roles()));
    }

    private Map<String, Object> issue(String username, Set<Role> roles) throws Exception {
        String refresh = tokens.newRefreshToken();
        users.storeRefresh(Tokens.hash(refresh), username, clock.instant().plus(refreshTtl));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accessToken", tokens.issue(username, roles));
        out.put("tokenType", "Bearer");
        out.put("expiresIn", tokens.ttl().toSeconds());
        out.put("refreshToken", refresh);
        out.put("roles", roles.stream().map(Role::id).sorted().toList());
        return out;
    }

    private void refresh(Context ctx) throws Exception {
        RefreshRequest req = Json.body(ctx, RefreshRequest.class, maxBody);
        if (req.refreshToken() == null || req.refreshToken().length() > 200) {
            throw ApiError.badRequest("field 'refreshToken' is required");
        }
        String username =
                users.consumeRefresh(Tokens.hash(req.refreshToken()))
                        .orElseThrow(
                                () ->
                                        ApiError.unauthorized(
                                                "refresh token unknown, expired or already used"));
        UserStore.User user =
                users.find(username)
                        .filter(u -> !u.disabled())
                        .orElseThrow(() -> ApiError.unauthorized("user no longer exists"));
        ctx.json(issue(user.username(), user.roles()));
    }

    private void logout(Context ctx) throws Exception {
        RefreshRequest req = Json.body(ctx, RefreshRequest.class, maxBody);
        if (req.refreshToken() == null || req.refreshToken().length() > 200) {
            throw ApiError.badRequest("field 'refreshToken' is required");
        }
        users.consumeRefresh(Tokens.hash(req.refreshToken()));
        ctx.status(204);
    }

    private static Map<String, Object> view(UserStore.User u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", u.username());
        out.put("roles", u.roles().stream().map(Role::id).sorted().toList());
        out.put("disabled", u.disabled());
        out.put("locked", u.lockedUntil() != null && u.lockedUntil().isAfter(Instant.now()));
        out.put("createdAt", u.createdAt());
        return out;
    }

    private void list(Context ctx) throws Exception {
        ctx.json(Map.of("users", users.list().stream().map(AuthRoutes::view).toList()));
    }

    private void get(Context ctx) throws Exception {
        String name = Names.user("username", ctx.pathParam("username"));
        ctx.json(
                view(
                        users.find(name)
                                .orElseThrow(() -> ApiError.notFound("no user '" + name + "'"))));
    }

    static Set<Role> roles(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw ApiError.badRequest("field 'roles' must list at least one role");
        }
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (String id : ids) {
            if (id == null) {
                throw ApiError.badRequest("field 'roles' holds null");
            }
            out.add(
                    Role.assignable(id)
                            .orElseThrow(
                                    () ->
                                            ApiError.badRequest(
                                                    "unknown role '"
                                                            + Names.printable(id)
                                                            + "' (roles: admin, publisher,"
                                                            + " approver, consumer, reader)")));
        }
        return out;
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < 12) {
            throw ApiError.badRequest("password must have at least 12 characters");
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
            throw ApiError.badRequest("password must be at most 72 bytes (bcrypt's limit)");
        }
    }

    private void create(Context ctx) throws Exception {
        NewUser req = Json.body(ctx, NewUser.class, maxBody);
        String name = Names.user("username", req.username());
        checkPassword(req.password());
        Set<Role> roles = roles(req.roles());
        if (!users.create(name, passwords.hash(req.password()), roles)) {
            throw ApiError.conflict("user '" + name + "' exists");
        }
        ctx.attribute("audit.object", "user " + name);
        ctx.status(201).json(view(users.find(name).orElseThrow()));
    }

    private void setRoles(Context ctx) throws Exception {
        String name = Names.user("username", ctx.pathParam("username"));
        RolesRequest req = Json.body(ctx, RolesRequest.class, maxBody);
        if (!users.setRoles(name, roles(req.roles()))) {
            throw ApiError.notFound("no user '" + name + "'");
        }
        ctx.json(view(users.find(name).orElseThrow()));
    }

    private void setPassword(Context ctx) throws Exception {
        String name = Names.user("username", ctx.pathParam("username"));
        PasswordRequest req = Json.body(ctx, PasswordRequest.class, maxBody);
        checkPassword(req.password());
        if (!users.setPassword(name, passwords.hash(req.password()))) {
            throw ApiError.notFound("no user '" + name + "'");
        }
        ctx.status(204);
    }

    private void delete(Context ctx) throws Exception {
        String name = Names.user("username", ctx.pathParam("username"));
        if (!users.delete(name)) {
            throw ApiError.notFound("no user '" + name + "'");
        }
        ctx.status(204);
    }
}
