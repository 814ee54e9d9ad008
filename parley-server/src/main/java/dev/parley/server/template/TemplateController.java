package dev.parley.server.template;

import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/channels/whatsapp/integrations/{id}/templates}: an integration's message templates (every role)
 * and {@code POST .../sync} to fetch them from Meta now (owners and admins). Another organization's integration
 * answers 404.
 */
@RestController
@RequestMapping("/api/v1/channels/whatsapp/integrations/{integrationId}/templates")
class TemplateController {

    private final TemplateStore templates;
    private final TemplateSync sync;
    private final IntegrationClients clients;

    TemplateController(TemplateStore templates, TemplateSync sync, IntegrationClients clients) {
        this.templates = templates;
        this.sync = sync;
        this.clients = clients;
    }

    @GetMapping
    Map<String, Object> list(Actor actor, @PathVariable UUID integrationId) {
        clients.ref(actor.orgId(), integrationId); // 404 unless the caller's organization has it
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", templates.list(actor.orgId(), integrationId));
        return body;
    }

    @PostMapping("/sync")
    Map<String, Object> sync(Actor actor, @PathVariable UUID integrationId) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        int synced = sync.sync(actor, integrationId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("synced", synced);
        body.put("data", templates.list(actor.orgId(), integrationId));
        return body;
    }
}
