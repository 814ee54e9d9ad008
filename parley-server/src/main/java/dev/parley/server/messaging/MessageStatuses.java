package dev.parley.server.messaging;

import java.util.UUID;

/**
 * Delivery statuses of outbound messages. Meta may report a status before the sending side has stored the
 * message's wamid (the webhook can beat the send API's answer); such statuses are kept and applied here.
 */
public interface MessageStatuses {

    /**
     * Applies every status already received for {@code wamid} to the outbound message of the integration that
     * has that wamid (forward only, Meta's timestamps, failure details). Idempotent; answers how many stored
     * statuses exist for the wamid (0 when none arrived yet). The message must already carry the wamid.
     */
    int applyPendingStatuses(UUID integrationId, String wamid);
}
