package dev.parley.server.webhook;

import dev.parley.server.audit.AuditLog;
import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import dev.parley.server.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The webhook event log: {@code GET /api/v1/webhook-events} (newest first, paged with {@code before}, filtered by
 * {@code integration_id}, {@code signature_valid}, {@code outcome}; every member of the organization),
 * {@code GET /api/v1/webhook-events/{id}} (with the raw payload for owners and admins) and
 * {@code POST /api/v1/webhook-events/{id}/replay} (owners: process the stored delivery again; idempotent).
 */
@RestController
@RequestMapping("/api/v1/webhook-events")
class WebhookEventController {

    static final int MAX_LIMIT = 200;

    private final DeliveryStore store;
    private final WebhookWorker worker;
    private final AuditLog audit;
    private final JsonMapper json;

    WebhookEventController(DeliveryStore store, WebhookWorker worker, AuditLog audit, JsonMapper json) {
        this.store = store;
        this.worker = worker;
        this.audit = audit;
        this.json = json;
    }

    @GetMapping
    Map<String, Object> list(Actor actor, @RequestParam(defaultValue = "50") int limit,
                             @RequestParam(required = false) Long before,
                             @RequestParam(name = "integration_id", required = false) String integrationId,
                             @RequestParam(name = "signature_valid", required = false) String signatureValid,
                             @RequestParam(required = false) String outcome) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_parameter", "limit must be between 1 and " + MAX_LIMIT);
        }
        UUID integration = null;
        if (integrationId != null && !integrationId.isBlank()) {
            try {
                integration = UUID.fromString(integrationId);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_parameter", "integration_id must be a UUID");
            }
        }
        Boolean valid = null;
        if (signatureValid != null && !signatureValid.isBlank()) {
            if (!signatureValid.equals("true") && !signatureValid.equals("false")) {
                throw ApiException.badRequest("invalid_parameter", "signature_valid must be true or false");
            }
            valid = Boolean.valueOf(signatureValid);
        }
        List<StoredDelivery> page = store.list(actor.orgId(), limit, before, integration, valid,
                outcome == null || outcome.isBlank() ? null : outcome);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page.stream().map(WebhookEventController::view).toList());
        body.put("next_before", page.size() == limit ? page.get(page.size() - 1).id() : null);
        return body;
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Actor actor, @PathVariable long id) {
        boolean privileged = actor.role() == Role.OWNER || actor.role() == Role.ADMIN;
        StoredDelivery d = store.get(actor.orgId(), id, privileged)
                .orElseThrow(() -> ApiException.notFound("webhook event"));
        Map<String, Object> view = view(d);
        if (privileged) {
            view.put("signature_header", d.signatureHeader());
            view.put("source_ip", d.sourceIp());
            view.put("headers", d.headersJson() == null ? null : json.readTree(d.headersJson()));
            view.put("payload", d.body() == null ? null : new String(d.body(), StandardCharsets.UTF_8));
        }
        return view;
    }

    @PostMapping("/{id}/replay")
    ResponseEntity<Map<String, Object>> replay(Actor actor, @PathVariable long id) {
        actor.requireRole(Role.OWNER);
        StoredDelivery d = store.get(actor.orgId(), id, false)
                .orElseThrow(() -> ApiException.notFound("webhook event"));
        if (DeliveryState.REJECTED.equals(d.state())) {
            throw ApiException.conflict("not_replayable",
                    "this delivery was refused (" + d.outcome() + ") and its body was not kept");
        }
        if (!store.replay(actor.orgId(), id)) {
            throw ApiException.conflict("already_queued", "this delivery is already waiting to be processed");
        }
        audit.record(actor, "webhook.replayed", "webhook-event:" + id, Map.of("delivery_id", id));
        worker.wake();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(view(store.get(actor.orgId(), id, false).orElseThrow()));
    }

    static Map<String, Object> view(StoredDelivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("received_at", d.receivedAt());
        m.put("integration_id", d.integrationId());
        m.put("signature_valid", d.signatureValid());
        m.put("http_status", d.httpStatus());
        m.put("outcome", d.outcome());
        m.put("state", d.state());
        m.put("via", d.via());
        m.put("detail", d.detail());
        m.put("body_size", d.bodySize());
        m.put("attempts", d.attempts());
        m.put("processed_at", d.processedAt());
        return m;
    }
}
