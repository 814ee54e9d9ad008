package dev.parley.server.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The 24-hour customer service window of each conversation, for the sending side: a free-form message may only
 * be sent while the customer's window with the business number is open.
 */
public interface CustomerWindows {

    /**
     * When the window of the conversation between the integration and {@code waId} (digits; other characters are
     * ignored) ends: 24 hours after the customer's last message. Empty when the customer never wrote.
     */
    Optional<Instant> windowExpiresAt(UUID integrationId, String waId);
}
