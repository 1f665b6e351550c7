package io.datafabric.api.role;

import io.javalin.security.RouteRole;
import java.util.Locale;
import java.util.Optional;

/** The roles of the permission matrix (api/README.md), plus the marker for public routes. */
public enum Role implements RouteRole {
    ADMIN,
    PUBLISHER,
    APPROVER,
    CONSUMER,
    READER,
    /** Not a user role: marks routes open without a token (health, login, refresh). */
    PUBLIC,
    /** Not a user role: any valid token (e.g. /openapi.json, logout). */
    ANY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A user role by its id; PUBLIC and ANY are not assignable. */
    public static Optional<Role> assignable(String id) {
        for (Role r : values()) {
            if (r != PUBLIC && r != ANY && r.id().equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
