package dev.parley.server.channel;

import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import org.springframework.stereotype.Service;

import java.util.Optional;
import java.util.UUID;

@Service
class SystemIntegrationsService implements SystemIntegrations {

    private final Integrations integrations;

    SystemIntegrationsService(Integrations integrations) {
        this.integrations = integrations;
    }

    private static Actor system(UUID orgId) {
        return new Actor(orgId, null, Role.OWNER, "system", null);
    }

    @Override
    public UUID create(UUID orgId, Spec spec) {
        IntegrationRequest req = new IntegrationRequest(spec.name(), spec.appId(), spec.appSecret(), spec.wabaId(),
                spec.phoneNumberId(), null, spec.accessToken(), null, true, spec.graphBaseUrl(), null);
        return integrations.create(system(orgId), req).integration().id();
    }

    @Override
    public boolean pointAt(UUID orgId, UUID integrationId, String graphBaseUrl) {
        Optional<Integration> current = integrations.find(orgId, integrationId);
        if (current.isEmpty()) {
            return false;
        }
        if (!graphBaseUrl.equals(current.get().graphBaseUrl())) {
            integrations.update(system(orgId), integrationId, new IntegrationRequest(null, null, null, null, null,
                    null, null, null, null, graphBaseUrl, null));
        }
        return true;
    }
}
