package dev.parley.server.template;

import dev.parley.server.identity.Actor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code /api/v1/channels/whatsapp/integrations/{id}/templates}: an integration's message templates. */
@RestController
@RequestMapping("/api/v1/channels/whatsapp/integrations/{integrationId}/templates")
class TemplateController {

    private final TemplateStore templates;

    TemplateController(TemplateStore templates) {
        this.templates = templates;
    }

    @GetMapping
    Map<String, Object> list(Actor actor, @PathVariable UUID integrationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", templates.list(actor.orgId(), integrationId));
        return body;
    }
}
