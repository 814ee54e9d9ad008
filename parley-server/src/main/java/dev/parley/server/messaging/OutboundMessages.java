package dev.parley.server.messaging;

import tools.jackson.databind.JsonNode;

import java.util.UUID;

/**
 * How the sending side records outbound messages in conversations, so that they appear in the API next to
 * inbound ones and receive delivery statuses. A recorded message starts as {@code queued}.
 */
public interface OutboundMessages {

    /**
     * Records a message to {@code toWaId} (digits only) in that contact's conversation, status {@code queued}.
     *
     * @param type         Meta's message type ({@code text}, {@code template}, ...)
     * @param content      the object Meta's send API takes under {@code type}
     * @param contextWamid the wamid this message replies to, or null
     * @return the message id
     */
    UUID record(UUID orgId, UUID integrationId, String toWaId, String type, JsonNode content, String contextWamid);

    /**
     * Meta accepted the message and answered its wamid: stores the wamid and applies statuses that arrived
     * before it ({@link MessageStatuses#applyPendingStatuses}).
     */
    void accepted(UUID messageId, String wamid);

    /**
     * {@link #accepted} for many messages of one integration (message id to wamid), in a few statements; throws
     * {@link IllegalArgumentException} (nothing stored) when one of them is not a message of that integration.
     */
    void acceptedAll(UUID integrationId, java.util.Map<UUID, String> wamids);

    /** Sending failed for good (Meta's error, or a local reason with code null): status {@code failed}. */
    void failed(UUID messageId, Integer code, String title, String message, String details);
}
