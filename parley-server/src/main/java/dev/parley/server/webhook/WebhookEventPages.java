package dev.parley.server.webhook;

import dev.parley.server.audit.AuditLog;
import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The webhook event log: the last deliveries (kept 24 hours) with signature status and outcome; one delivery's
 * payload and headers for owners and admins; replay for owners.
 */
@UiController
@RequestMapping("/app/webhook-events")
class WebhookEventPages {

    private final DeliveryStore store;
    private final WebhookWorker worker;
    private final AuditLog audit;
    private final JsonMapper json;

    WebhookEventPages(DeliveryStore store, WebhookWorker worker, AuditLog audit, JsonMapper json) {
        this.store = store;
        this.worker = worker;
        this.audit = audit;
        this.json = json;
    }

    @GetMapping
    String list(Actor actor, @RequestParam(required = false) String outcome, @RequestParam(required = false) Long before,
                Model model) {
        String o = outcome == null || outcome.isBlank() ? null : outcome;
        var page = store.list(actor.orgId(), 100, before, null, null, o);
        model.addAttribute("events", page);
        model.addAttribute("outcome", o);
        model.addAttribute("nextBefore", page.size() == 100 ? page.get(page.size() - 1).id() : null);
        return "webhooks/list";
    }

    @GetMapping("/{id}")
    String show(Actor actor, @PathVariable long id, Model model) {
        boolean privileged = actor.role() == Role.OWNER || actor.role() == Role.ADMIN;
        StoredDelivery d = store.get(actor.orgId(), id, privileged)
                .orElseThrow(() -> ApiException.notFound("webhook event"));
        model.addAttribute("e", d);
        model.addAttribute("privileged", privileged);
        model.addAttribute("payload", privileged && d.body() != null ? pretty(new String(d.body(), StandardCharsets.UTF_8)) : null);
        model.addAttribute("headers", privileged && d.headersJson() != null ? pretty(d.headersJson()) : null);
        return "webhooks/show";
    }

    @PostMapping("/{id}/replay")
    String replay(Actor actor, @PathVariable long id, RedirectAttributes redirect) {
        actor.requireRole(Role.OWNER);
        StoredDelivery d = store.get(actor.orgId(), id, false)
                .orElseThrow(() -> ApiException.notFound("webhook event"));
        if (DeliveryState.REJECTED.equals(d.state())) {
            redirect.addFlashAttribute("error", "This delivery was refused (" + d.outcome() + "); its body was not kept.");
        } else if (!store.replay(actor.orgId(), id)) {
            redirect.addFlashAttribute("error", "This delivery is already waiting to be processed.");
        } else {
            audit.record(actor, "webhook.replayed", "webhook-event:" + id, Map.of("delivery_id", id));
            worker.wake();
            redirect.addFlashAttribute("flash", "Queued for processing again.");
        }
        return "redirect:/app/webhook-events/" + id;
    }

    private String pretty(String text) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(text));
        } catch (RuntimeException e) {
            return text;
        }
    }
}
