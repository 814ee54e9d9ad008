package dev.parley.server.channel;

import dev.parley.server.identity.Actor;
import dev.parley.server.secret.SecretBox;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/channels/whatsapp/integrations}: owners and admins create, change and delete integrations;
 * agents may read them. Secrets are answered masked; the verify token is shown in full only in the answer of
 * the request that set it (create, or an update that changes it).
 */
@RestController
@RequestMapping("/api/v1/channels/whatsapp/integrations")
class IntegrationController {

    private final Integrations integrations;
    private final ChannelSignals signals;
    private final PublicUrls urls;

    IntegrationController(Integrations integrations, ChannelSignals signals, PublicUrls urls) {
        this.integrations = integrations;
        this.signals = signals;
        this.urls = urls;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(Actor actor, @RequestBody(required = false) IntegrationRequest body) {
        Integrations.Saved saved = integrations.create(actor, body);
        return ResponseEntity.created(URI.create("/api/v1/channels/whatsapp/integrations/" + saved.integration().id()))
                .body(view(saved.integration(), saved.verifyToken()));
    }

    @GetMapping
    Map<String, Object> list(Actor actor) {
        List<Map<String, Object>> data = integrations.list(actor.orgId()).stream().map(i -> view(i, null)).toList();
        return Map.of("data", data);
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Actor actor, @PathVariable UUID id) {
        return view(integrations.get(actor.orgId(), id), null);
    }

    @PutMapping("/{id}")
    Map<String, Object> update(Actor actor, @PathVariable UUID id, @RequestBody(required = false) IntegrationRequest body) {
        Integrations.Saved saved = integrations.update(actor, id, body);
        return view(saved.integration(), saved.verifyToken());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Actor actor, @PathVariable UUID id) {
        integrations.delete(actor, id);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    /** Account and quality events Meta reported for the integration, newest first. */
    @GetMapping("/{id}/account-events")
    Map<String, Object> accountEvents(Actor actor, @PathVariable UUID id,
                                      @RequestParam(defaultValue = "50") int limit) {
        Integration i = integrations.get(actor.orgId(), id);
        return Map.of("data", signals.accountEvents(i.id(), limit));
    }

    private Map<String, Object> view(Integration i, String plainVerifyToken) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("name", i.name());
        m.put("app_id", i.appId());
        m.put("app_secret", i.appSecretEnc() == null ? null : SecretBox.mask(integrations.appSecret(i)));
        m.put("waba_id", i.wabaId());
        m.put("phone_number_id", i.phoneNumberId());
        m.put("display_phone_number", i.displayPhoneNumber());
        m.put("verified_name", i.verifiedName());
        m.put("access_token", SecretBox.mask(integrations.accessToken(i)));
        m.put("verify_token", plainVerifyToken != null ? plainVerifyToken : SecretBox.mask(integrations.verifyToken(i)));
        m.put("enabled", i.enabled());
        m.put("graph_base_url", i.graphBaseUrl());
        m.put("graph_api_version", i.graphApiVersion());
        m.put("webhook_url", urls.webhookUrl(i.webhookToken()));
        m.put("global_webhook_url", urls.globalWebhookUrl());
        m.put("last_test_at", i.lastTestAt());
        m.put("last_test_status", i.lastTestStatus());
        if (i.lastTestStatus() != null && !"ok".equals(i.lastTestStatus())) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", i.lastTestCode());
            err.put("message", i.lastTestMessage());
            m.put("last_test_error", err);
        } else {
            m.put("last_test_error", null);
        }
        m.put("needs_new_credentials", i.needsNewCredentials());
        m.put("credentials_problem", i.credentialsProblem());
        m.put("last_webhook_at", i.lastWebhookAt());
        m.put("last_webhook_rejected_at", i.lastRejectedAt());
        m.put("last_webhook_rejected_reason", i.lastRejectedReason());
        if (i.accountAlertField() != null) {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("field", i.accountAlertField());
            alert.put("event", i.accountAlertEvent());
            alert.put("at", i.accountAlertAt());
            m.put("account_alert", alert);
        } else {
            m.put("account_alert", null);
        }
        m.put("created_at", i.createdAt());
        m.put("updated_at", i.updatedAt());
        return m;
    }
}
