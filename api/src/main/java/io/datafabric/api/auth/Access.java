package io.datafabric.api.auth;

import io.datafabric.api.http.ApiError;
import io.datafabric.api.role.Role;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * Runs before every matched route: routes marked {@link Role#PUBLIC} pass; every other route needs
 * a valid bearer token (401), one of the route's roles (403; {@link Role#ANY} accepts every user)
 * and room in the token's rate limit (429 with Retry-After).
 */
public final class Access {
    public static final String PRINCIPAL = "principal";

    private final Tokens tokens;
    private final RateLimiter limiter;
    private final String metricsToken;

    public Access(Tokens tokens, RateLimiter limiter, String metricsToken) {
        this.tokens = tokens;
        this.limiter = limiter;
        this.metricsToken = metricsToken;
    }

    public void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(Role.PUBLIC)) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiError.unauthorized("missing bearer token (Authorization: Bearer <token>)");
        }
        String token = header.substring(7).trim();
        if (!metricsToken.isEmpty()
                && "/metrics".equals(ctx.endpointHandlerPath())
                && java.security.MessageDigest.isEqual(
                        metricsToken.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        token.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return;
        }
        Principal principal;
        try {
            principal = tokens.verify(token);
        } catch (ApiError e) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw e;
        }
        ctx.attribute(PRINCIPAL, principal);
        if (!roles.contains(Role.ANY) && principal.roles().stream().noneMatch(roles::contains)) {
            throw ApiError.forbidden(
                    "this route needs one of the roles "
                            + roles.stream().map(r -> ((Role) r).id()).sorted().toList()
                            + "; you have "
                            + principal.roles().stream().map(Role::id).sorted().toList());
        }
        long wait = limiter.acquire(principal.tokenId());
        if (wait > 0) {
            throw ApiError.tooManyRequests("rate limit of this token exceeded", wait);
        }
    }

    /** The caller of a request that passed {@link #check}. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw ApiError.unauthorized("not authenticated");
        }
        return p;
    }
}
