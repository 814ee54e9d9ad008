package dev.parley.server.identity;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant: every piece of data in Parley belongs to exactly one organization. */
public record Organization(UUID id, String name, OffsetDateTime createdAt) {
}
