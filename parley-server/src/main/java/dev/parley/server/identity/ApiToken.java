package dev.parley.server.identity;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An API token as listed: never the secret, only its first characters ({@code prefix}) to recognise it. */
public record ApiToken(UUID id, UUID userId, String name, String prefix, OffsetDateTime createdAt,
                       OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {
}
