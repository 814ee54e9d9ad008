package dev.parley.server.template;

import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationRef;
import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A channel's message templates with their status, and "Sync now" (owners and admins). */
@UiController
@RequestMapping("/app/channels/{integrationId}/templates")
class TemplatePages {

    private final TemplateStore templates;
    private final TemplateSync sync;
    private final IntegrationClients clients;

    TemplatePages(TemplateStore templates, TemplateSync sync, IntegrationClients clients) {
        this.templates = templates;
        this.sync = sync;
        this.clients = clients;
    }

    record Row(String name, String language, String category, String status, String rejectionReason, String body,
               int placeholders, Object syncedAt) {
    }

    @GetMapping
    String list(Actor actor, @PathVariable UUID integrationId, Model model) {
        IntegrationRef ref = clients.ref(actor.orgId(), integrationId); // 404 for another organization's
        model.addAttribute("integrationId", ref.integrationId());
        model.addAttribute("templates", templates.list(actor.orgId(), integrationId).stream()
                .map(TemplatePages::row).toList());
        return "templates/list";
    }

    @PostMapping("/sync")
    String syncNow(Actor actor, @PathVariable UUID integrationId, RedirectAttributes redirect) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        try {
            int n = sync.sync(actor, integrationId);
            redirect.addFlashAttribute("flash", "Synced " + n + (n == 1 ? " template." : " templates."));
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/app/channels/" + integrationId + "/templates";
    }

    static Row row(Map<String, Object> t) {
        return new Row((String) t.get("name"), (String) t.get("language"), (String) t.get("category"),
                (String) t.get("status"), (String) t.get("rejection_reason"), bodyText(t.get("components")),
                t.get("placeholders") instanceof JsonNode p ? p.size() : 0, t.get("synced_at"));
    }

    /** The BODY component's text, as Meta has it (placeholders such as {{1}} included). */
    static String bodyText(Object components) {
        if (components instanceof JsonNode list && list.isArray()) {
            for (JsonNode c : list) {
                if ("BODY".equalsIgnoreCase(c.path("type").asString(""))) {
                    return c.path("text").asString("");
                }
            }
        }
        return "";
    }

    static List<Row> rows(List<Map<String, Object>> list) {
        return list.stream().map(TemplatePages::row).toList();
    }
}
