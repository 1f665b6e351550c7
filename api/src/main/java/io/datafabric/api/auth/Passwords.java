package io.datafabric.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt password hashes (at.favre.lib:bcrypt). */
public final class Passwords {
    private final int cost;
    // Verified against for unknown users, so a wrong name takes as long as a wrong password.
    private final String dummyHash;

    public Passwords(int cost) {
        this.cost = cost;
        this.dummyHash = hash("not-a-password-of-anyone");
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }

    public void burn(String password) {
        matches(password.length() > 72 ? "x" : password, dummyHash);
    }
}
