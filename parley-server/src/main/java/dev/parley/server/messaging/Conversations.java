package dev.parley.server.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Looking up one conversation of an organization, for features that act on it (replying from the inbox). */
public interface Conversations {

    /** A conversation: its integration, the contact's WhatsApp id and name, and the end of the 24-hour window. */
    record ConversationRef(UUID id, UUID orgId, UUID integrationId, String waId, String contactName,
                           Instant windowExpiresAt) {

        public boolean windowOpen() {
            return windowExpiresAt != null && windowExpiresAt.isAfter(Instant.now());
        }
    }

    /** Empty when it does not exist or belongs to another organization. */
    Optional<ConversationRef> find(UUID orgId, UUID conversationId);

    /** The conversation a message of the organization belongs to (e.g. the one a first template opened). */
    Optional<UUID> conversationOf(UUID orgId, UUID messageId);

    /** The wamid of a message of the organization (for replying with a quote), if it has one yet. */
    Optional<String> wamid(UUID orgId, UUID messageId);
}
