package dev.parley.server.channel;

import dev.parley.cloudapi.graph.GraphClient;

import java.util.UUID;

/**
 * Graph API clients for integrations, configured with the integration's base URL, API version and (decrypted)
 * access token. Both methods answer 404 ({@code ApiException}) when the integration does not exist, is deleted
 * or belongs to another organization.
 * <p>
 * When a call through the client fails with Meta's code 190 (or {@code Classification.REAUTHORIZE}), report it
 * with {@link IntegrationSignals#credentialsRejected} so the integration is flagged and its owners notified.
 */
public interface IntegrationClients {

    GraphClient forIntegration(UUID orgId, UUID integrationId);

    IntegrationRef ref(UUID orgId, UUID integrationId);

    /** Every live (not deleted) integration of every organization, enabled or not: for background jobs. */
    java.util.List<IntegrationRef> live();
}
