package dev.parley.server.webhook;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A delivery as the ack path writes it (see {@link DeliveryWriter}); {@code body} is null for refused ones. */
record DeliveryRow(OffsetDateTime receivedAt, UUID orgId, UUID integrationId, String via, String sourceIp,
                   Boolean signatureValid, String signatureHeader, String headersJson, byte[] body, int bodySize,
                   int httpStatus, String state, String outcome, String detail) {

    static final String VIA_INTEGRATION = "integration";
    static final String VIA_GLOBAL = "global";
}
