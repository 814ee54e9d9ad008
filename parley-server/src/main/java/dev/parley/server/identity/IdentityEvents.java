package dev.parley.server.identity;

import java.util.UUID;

/**
 * Facts the identity feature publishes as Spring application events (synchronously, inside the
 * transaction that caused them), so that audit and others can react without identity knowing them.
 * {@code actor} is the acting user's email, or {@code system}.
 */
public final class IdentityEvents {

    private IdentityEvents() {
    }

    public record OrganizationBootstrapped(UUID orgId, String ownerEmail, boolean tokenCreated) {
    }

    public record UserCreated(UUID orgId, String actor, UUID userId, String email, Role role) {
    }

    public record UserRoleChanged(UUID orgId, String actor, UUID userId, String email, Role from, Role to) {
    }

    public record UserDeleted(UUID orgId, String actor, UUID userId, String email) {
    }

    public record ApiTokenCreated(UUID orgId, String actor, UUID tokenId, String name, UUID forUserId) {
    }

    public record ApiTokenRevoked(UUID orgId, String actor, UUID tokenId, String name) {
    }

    /** A password sign-in (web UI) succeeded or failed for a known user. */
    public record UserLoggedIn(UUID orgId, String email, boolean success) {
    }
}
