package dev.parley.server.identity;

import dev.parley.server.web.ApiException;

import java.util.Arrays;
import java.util.UUID;

/**
 * Who is making the current request: their organization (which scopes every query), user, role and email,
 * and the API token used (null for other ways of signing in). Controllers take it as a method parameter.
 */
public record Actor(UUID orgId, UUID userId, Role role, String email, UUID tokenId) {

    /** True when the actor is an owner of the installation's first organization (see {@code Organizations}). */
    public boolean isInstanceOwner(Organizations organizations) {
        return role == Role.OWNER && organizations.instanceOrganizationId().filter(orgId::equals).isPresent();
    }

    /** Answers 403 unless the actor has one of the given roles. */
    public Actor requireRole(Role... allowed) {
        if (Arrays.asList(allowed).contains(role)) {
            return this;
        }
        throw ApiException.forbidden("this needs the role " + String.join(" or ",
                Arrays.stream(allowed).map(Role::wireName).toList()) + "; you are " + role.wireName());
    }
}
