package dev.parley.server.template;

import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.cloudapi.graph.MessageTemplate;
import dev.parley.server.audit.AuditLog;
import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationRef;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fetches every page of an integration's templates from the Graph API ({@code GET /{waba_id}/message_templates})
 * and replaces the stored list. Meta's errors are answered as 502 with Meta's code; an expired token (190) also
 * flags the integration through {@link IntegrationSignals#credentialsRejected}.
 */
@Service
class TemplateSync implements TemplateRefresh {

    private final IntegrationClients clients;
    private final IntegrationSignals signals;
    private final TemplateStore store;
    private final AuditLog audit;

    TemplateSync(IntegrationClients clients, IntegrationSignals signals, TemplateStore store, AuditLog audit) {
        this.clients = clients;
        this.signals = signals;
        this.store = store;
        this.audit = audit;
    }

    int sync(Actor actor, UUID integrationId) {
        IntegrationRef ref = clients.ref(actor.orgId(), integrationId);
        int stored = sync(ref);
        audit.record(actor, "templates.synced", integrationId.toString(), Map.of("templates", stored));
        return stored;
    }

    @Override
    public int syncTemplates(UUID orgId, UUID integrationId) {
        return sync(clients.ref(orgId, integrationId));
    }

    /** Syncs one integration (also usable by a scheduled job); throws {@link ApiException} 502 on Graph errors. */
    int sync(IntegrationRef ref) {
        List<MessageTemplate> templates;
        try {
            templates = clients.forIntegration(ref.orgId(), ref.integrationId()).listAllTemplates(ref.wabaId());
        } catch (GraphApiException e) {
            if (e.needsReauthorization()) {
                signals.credentialsRejected(ref.integrationId(), e.code(), e.message());
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "graph_error",
                    "Meta answered error " + e.code() + (e.message() == null ? "" : ": " + e.message()));
        } catch (GraphException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "graph_unreachable",
                    "could not reach the Graph API at the integration's graph_base_url");
        }
        return store.replaceAll(ref.orgId(), ref.integrationId(), templates.stream()
                .map(t -> new TemplateStore.Synced(t.id(), t.name(), t.language(), t.category(), t.status(),
                        t.parameterFormat(), t.components()))
                .toList());
    }
}
