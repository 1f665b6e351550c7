package io.datafabric.api.auth;

import io.datafabric.api.role.Role;
import java.util.Set;

/** The caller of a request, from a verified access token. */
public record Principal(String username, Set<Role> roles, String tokenId) {
    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }
}
