package io.datafabric.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datafabric.api.http.ApiError;
import io.datafabric.api.role.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TokensTest {
    static final String SECRET = "a-test-secret-of-at-least-32-characters";

    @Test
    void aVerifiedTokenIsRememberedButAnAlteredOneIsStillRefused() {
        Tokens tokens = new Tokens(SECRET, Duration.ofMinutes(15), Clock.systemUTC());
        String token = tokens.issue("alice", EnumSet.of(Role.READER));
        Principal first = tokens.verify(token);
        assertThat(first.username()).isEqualTo("alice");
        assertThat(tokens.verify(token)).isEqualTo(first);
        String other = tokens.issue("mallory", EnumSet.of(Role.ADMIN));
        String altered =
                token.substring(0, token.lastIndexOf('.'))
                        + other.substring(other.lastIndexOf('.'));
        assertThatThrownBy(() -> tokens.verify(altered)).isInstanceOf(ApiError.class);
        Tokens otherSecret =
                new Tokens(SECRET + "-other", Duration.ofMinutes(15), Clock.systemUTC());
        assertThatThrownBy(() -> otherSecret.verify(token)).isInstanceOf(ApiError.class);
    }

    @Test
    void anExpiredTokenIsRefused() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        Tokens tokens = new Tokens(SECRET, Duration.ofMinutes(15), past);
        String token = tokens.issue("bob", EnumSet.of(Role.READER));
        assertThatThrownBy(() -> tokens.verify(token))
                .isInstanceOf(ApiError.class)
                .hasMessageContaining("expired");
    }
}
