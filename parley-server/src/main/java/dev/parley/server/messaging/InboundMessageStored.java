package dev.parley.server.messaging;

import java.util.UUID;

/**
 * Published (Spring application event) for each inbound message stored for the first time, inside the
 * transaction that stores it: a plain {@code @EventListener} writes in the same transaction (its work commits or
 * rolls back with the message), a {@code @TransactionalEventListener} runs after the commit. Never published for
 * duplicates.
 *
 * @param type     Parley's stored type ({@code text}, {@code image}, ..., {@code unsupported})
 * @param mediaId  Meta's media id for image, video, audio, document and sticker messages, else null
 * @param mimeType the media's MIME type as the webhook gave it, or null
 * @param sha256   the media's SHA-256 as the webhook gave it (base64), or null
 */
public record InboundMessageStored(UUID orgId, UUID integrationId, UUID conversationId, UUID messageId,
                                   String wamid, String type, String mediaId, String mimeType, String sha256) {
}
