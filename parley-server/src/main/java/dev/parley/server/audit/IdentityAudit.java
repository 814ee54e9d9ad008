package dev.parley.server.audit;

import dev.parley.server.identity.IdentityEvents;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Map;

/** Writes identity's events into the audit trail, in the transaction that produced them. */
@Component
class IdentityAudit {

    private final AuditLog audit;

    IdentityAudit(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void on(IdentityEvents.OrganizationBootstrapped e) {
        audit.record(e.orgId(), AuditLog.SYSTEM, "organization.bootstrapped", e.ownerEmail(),
                Map.of("api_token_created", e.tokenCreated()));
    }

    @EventListener
    void on(IdentityEvents.UserCreated e) {
        audit.record(e.orgId(), e.actor(), "user.created", e.email(),
                Map.of("user_id", e.userId().toString(), "role", e.role().wireName()));
    }

    @EventListener
    void on(IdentityEvents.UserRoleChanged e) {
        audit.record(e.orgId(), e.actor(), "user.role_changed", e.email(),
                Map.of("user_id", e.userId().toString(), "from", e.from().wireName(), "to", e.to().wireName()));
    }

    @EventListener
    void on(IdentityEvents.UserDeleted e) {
        audit.record(e.orgId(), e.actor(), "user.deleted", e.email(), Map.of("user_id", e.userId().toString()));
    }

    @EventListener
    void on(IdentityEvents.ApiTokenCreated e) {
        audit.record(e.orgId(), e.actor(), "api_token.created", e.name(),
                Map.of("token_id", e.tokenId().toString(), "user_id", e.forUserId().toString()));
    }

    @EventListener
    void on(IdentityEvents.ApiTokenRevoked e) {
        audit.record(e.orgId(), e.actor(), "api_token.revoked", e.name(), Map.of("token_id", e.tokenId().toString()));
    }

    @EventListener
    void on(IdentityEvents.UserLoggedIn e) {
        audit.record(e.orgId(), e.email(), e.success() ? "user.login" : "user.login_failed", e.email(), null);
    }
}
