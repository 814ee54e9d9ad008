package dev.parley.server.identity;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a user may do in their organization: owners manage users and keys, admins manage tokens, agents chat. */
public enum Role {
    OWNER, ADMIN, AGENT;

    /** The role as it appears in JSON and in the database: {@code owner}, {@code admin}, {@code agent}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(value)).findFirst();
    }

    /** True when this role has at least the powers of {@code other} (owner > admin > agent). */
    public boolean atLeast(Role other) {
        return ordinal() <= other.ordinal();
    }
}
