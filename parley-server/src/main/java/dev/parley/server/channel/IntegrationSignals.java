package dev.parley.server.channel;

import java.time.Instant;
import java.util.UUID;

/**
 * Things other features observe about an integration and report to the channel feature, which records them,
 * flags the integration and notifies its owners (coalesced).
 */
public interface IntegrationSignals {

    /** A validly signed webhook arrived for the integration (health at a glance: "last webhook"). */
    void webhookReceived(UUID integrationId, Instant at);

    /** A webhook with a bad or missing signature, or one refused because no app secret is set. */
    void webhookRejected(UUID integrationId, String reason);

    /** Meta answered 190 (or another re-authorization error): flag "needs new credentials", notify owners. */
    void credentialsRejected(UUID integrationId, int metaCode, String metaMessage);

    /** An {@code account_update}, {@code phone_number_quality_update} or similar field: recorded, flagged. */
    void accountEvent(UUID integrationId, String field, String event, String rawJson);
}
