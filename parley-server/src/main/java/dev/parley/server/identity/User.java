package dev.parley.server.identity;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A person in one organization. The password hash never leaves the identity feature. */
public record User(UUID id, UUID orgId, String email, String displayName, Role role, OffsetDateTime createdAt) {
}
