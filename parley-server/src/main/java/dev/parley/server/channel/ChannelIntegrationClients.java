package dev.parley.server.channel;

import dev.parley.cloudapi.graph.GraphClient;
import org.springframework.stereotype.Service;

import java.util.UUID;

/** {@link IntegrationClients}: a Graph client with the integration's base URL, API version and access token. */
@Service
class ChannelIntegrationClients implements IntegrationClients {

    private final Integrations integrations;
    private final GraphClients clients;

    ChannelIntegrationClients(Integrations integrations, GraphClients clients) {
        this.integrations = integrations;
        this.clients = clients;
    }

    GraphClient client(Integration i) {
        return clients.client(i.graphBaseUrl(), i.graphApiVersion(), integrations.accessToken(i));
    }

    @Override
    public GraphClient forIntegration(UUID orgId, UUID integrationId) {
        return client(integrations.get(orgId, integrationId));
    }

    @Override
    public IntegrationRef ref(UUID orgId, UUID integrationId) {
        return ref(integrations.get(orgId, integrationId));
    }

    @Override
    public java.util.List<IntegrationRef> live() {
        return integrations.listLive().stream().map(ChannelIntegrationClients::ref).toList();
    }

    private static IntegrationRef ref(Integration i) {
        return new IntegrationRef(i.id(), i.orgId(), i.wabaId(), i.phoneNumberId(), i.enabled());
    }
}
