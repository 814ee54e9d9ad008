package dev.parley.server.messaging;

import java.time.Instant;
import java.util.UUID;

/** Where a batch of inbound items came from: the integration it was routed to and the stored delivery. */
public record InboundContext(UUID orgId, UUID integrationId, long deliveryId, Instant receivedAt) {
}
