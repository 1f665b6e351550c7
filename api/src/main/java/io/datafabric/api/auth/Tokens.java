package io.datafabric.api.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.datafabric.api.http.ApiError;
import io.datafabric.api.role.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Short-lived access tokens (JWT, HMAC-SHA256, with auth0's java-jwt) and opaque refresh tokens
 * (256 random bits; only their SHA-256 is stored).
 */
public final class Tokens {
    static final String ISSUER = "datafabric-api";
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * Tokens already verified, with their expiry: a client sends the same access token with every
     * request, and checking its HMAC and parsing its JSON each time was a quarter of the work of a
     * small file read. A cached entry is used only before the token's {@code exp} (wall clock);
     * access tokens are not revocable, so this answers exactly as verifying again would.
     */
    private final Cache<String, Verified> verified =
            Caffeine.newBuilder()
                    .maximumSize(10_000)
                    .expireAfterWrite(Duration.ofMinutes(1))
                    .build();

    private record Verified(Principal principal, Instant expiresAt) {}

    public Tokens(String secret, Duration ttl, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.verifier = JWT.require(algorithm).withIssuer(ISSUER).acceptLeeway(5).build();
        this.ttl = ttl;
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(String username, Set<Role> roles) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(ISSUER)
                .withSubject(username)
                .withJWTId(UUID.randomUUID().toString())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .withClaim("roles", roles.stream().map(Role::id).sorted().toList())
                .sign(algorithm);
    }

    /** The principal of a valid token; 401 naming why otherwise. */
    public Principal verify(String token) {
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            if (Instant.now().isBefore(known.expiresAt())) {
                return known.principal();
            }
            verified.invalidate(token);
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw ApiError.unauthorized("access token expired; log in or refresh");
        } catch (JWTVerificationException e) {
            throw ApiError.unauthorized("invalid access token");
        }
        List<String> ids = jwt.getClaim("roles").asList(String.class);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (ids != null) {
            for (String id : ids) {
                Role.assignable(id).ifPresent(roles::add);
            }
        }
        if (jwt.getSubject() == null || jwt.getId() == null) {
            throw ApiError.unauthorized("invalid access token");
        }
        Principal principal = new Principal(jwt.getSubject(), roles, jwt.getId());
        Instant exp = jwt.getExpiresAtAsInstant();
        if (exp != null) {
            verified.put(token, new Verified(principal, exp));
        }
        return principal;
    }

    public String newRefreshToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String refreshToken) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(refreshToken.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
