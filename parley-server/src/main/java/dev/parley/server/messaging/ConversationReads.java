package dev.parley.server.messaging;

import java.util.Optional;
import java.util.UUID;

/** What read receipts need from conversations: the latest inbound message, and resetting the unread count. */
public interface ConversationReads {

    /** A conversation of the organization and its latest inbound message (wamid and id null when none). */
    record LatestInbound(UUID conversationId, UUID integrationId, UUID messageId, String wamid) {
    }

    /** Empty when the conversation does not exist or belongs to another organization. */
    Optional<LatestInbound> latestInbound(UUID orgId, UUID conversationId);

    /** Sets the conversation's unread count to 0 (scoped to the organization); false when not found. */
    boolean resetUnread(UUID orgId, UUID conversationId);
}
