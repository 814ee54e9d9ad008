package dev.parley.server.webhook;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A delivery as stored in {@code webhook_deliveries}. {@code body} is only loaded where it is needed. */
record StoredDelivery(long id, OffsetDateTime receivedAt, UUID orgId, UUID integrationId, String via,
                      String sourceIp, Boolean signatureValid, String signatureHeader, String headersJson,
                      byte[] body, int bodySize, int httpStatus, String state, String outcome, String detail,
                      int attempts, OffsetDateTime processedAt) {
}
