package dev.parley.server.sending;

import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import dev.parley.server.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Sending: {@code POST /api/v1/messages} and each integration's sending rate. */
@RestController
class SendingController {

    private final SendRequests requests;
    private final SendingSettings settings;
    private final IntegrationDirectory directory;
    private final SendingWorker worker;

    SendingController(SendRequests requests, SendingSettings settings, IntegrationDirectory directory,
                      SendingWorker worker) {
        this.requests = requests;
        this.settings = settings;
        this.directory = directory;
        this.worker = worker;
    }

    @PostMapping("/api/v1/messages")
    ResponseEntity<Map<String, Object>> send(Actor actor, @RequestBody(required = false) JsonNode body) {
        UUID id = requests.send(actor.orgId(), body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("status", "queued");
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }

    @GetMapping("/api/v1/channels/whatsapp/integrations/{id}/sending")
    Map<String, Object> getSending(Actor actor, @PathVariable UUID id) {
        requireIntegration(actor, id);
        return view(id);
    }

    @PutMapping("/api/v1/channels/whatsapp/integrations/{id}/sending")
    Map<String, Object> putSending(Actor actor, @PathVariable UUID id, @RequestBody JsonNode body) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        requireIntegration(actor, id);
        JsonNode rate = body == null ? null : body.get("messages_per_second");
        Integer value;
        if (rate == null || rate.isNull()) {
            value = null;
        } else if (rate.isIntegralNumber() && rate.asInt() >= 1 && rate.asInt() <= SendingSettings.MAX_RATE) {
            value = rate.asInt();
        } else {
            throw ApiException.unprocessable("messages_per_second.range", "messages_per_second must be a whole "
                    + "number from 1 to " + SendingSettings.MAX_RATE + " (Meta's highest throughput), or null for "
                    + "the default (" + settings.defaultRate() + ").");
        }
        settings.set(actor.orgId(), id, value);
        worker.rateChanged(id);
        return view(id);
    }

    private void requireIntegration(Actor actor, UUID id) {
        directory.byId(id).filter(r -> r.orgId().equals(actor.orgId()))
                .orElseThrow(() -> ApiException.notFound("integration"));
    }

    private Map<String, Object> view(UUID id) {
        Integer configured = settings.configured(id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("integration_id", id);
        m.put("messages_per_second", configured == null ? settings.defaultRate() : configured);
        m.put("default", configured == null);
        return m;
    }
}
