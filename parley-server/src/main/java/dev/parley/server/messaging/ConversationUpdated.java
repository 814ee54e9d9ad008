package dev.parley.server.messaging;

import java.util.UUID;

/**
 * Something visible changed in a conversation: a message arrived or was recorded, a delivery status moved, or it
 * was read. Published inside the writing transaction; listeners that push to screens use
 * {@code @TransactionalEventListener} so they only see committed changes.
 */
public record ConversationUpdated(UUID orgId, UUID conversationId) {
}
