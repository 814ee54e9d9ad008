package dev.parley.server.audit;

import tools.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Something that happened in an organization: when, who did it, what, to what, with JSON details. */
public record AuditEvent(long id, UUID orgId, OffsetDateTime at, String actor, String action, String subject,
                         JsonNode details) {
}
