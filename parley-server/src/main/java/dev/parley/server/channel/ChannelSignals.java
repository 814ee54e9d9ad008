package dev.parley.server.channel;

import dev.parley.server.audit.AuditLog;
import dev.parley.server.notification.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link IntegrationSignals}: records what other features observe about an integration on its row, flags it
 * (needs new credentials, account alert) and notifies the organization's owners, coalesced per integration and
 * kind so that a flood makes one notification with a count.
 */
@Service
class ChannelSignals implements IntegrationSignals {

    private static final Logger log = LoggerFactory.getLogger(ChannelSignals.class);
    /** last_webhook_at is written at most this often per integration (it is a "health at a glance" value). */
    private static final Duration WEBHOOK_STAMP_RESOLUTION = Duration.ofSeconds(1);
    /** Events that mean things got better: recorded, and they clear the integration's account alert. */
    private static final Set<String> GOOD_EVENTS = Set.of("UNFLAGGED", "UPGRADE", "THROUGHPUT_UPGRADE",
            "VERIFIED_ACCOUNT", "REINSTATED", "ONBOARDING", "PARTNER_ADDED", "PARTNER_APP_INSTALLED",
            "APPROVED", "ACCOUNT_RESTRICTION_REMOVED", "BUSINESS_VERIFICATION_APPROVED");

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Integrations integrations;
    private final Notifications notifications;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Map<UUID, Instant> lastStamped = new ConcurrentHashMap<>();

    ChannelSignals(JdbcClient jdbc, TransactionTemplate tx, Integrations integrations, Notifications notifications,
                   AuditLog audit, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.integrations = integrations;
        this.notifications = notifications;
        this.audit = audit;
        this.events = events;
    }

    @Override
    public void webhookReceived(UUID integrationId, Instant at) {
        if (integrationId == null) {
            return;
        }
        Instant when = at == null ? Instant.now() : at;
        Instant previous = lastStamped.get(integrationId);
        if (previous != null && !when.isAfter(previous.plus(WEBHOOK_STAMP_RESOLUTION))) {
            return;
        }
        lastStamped.put(integrationId, when);
        OffsetDateTime stamp = OffsetDateTime.ofInstant(when, ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("UPDATE whatsapp_integrations SET last_webhook_at = :at WHERE id = :id "
                        + "AND (last_webhook_at IS NULL OR last_webhook_at < :at)")
                .param("at", stamp).param("id", integrationId).update();
    }

    @Override
    public void webhookRejected(UUID integrationId, String reason) {
        Optional<Integration> found = integrationId == null ? Optional.empty() : integrations.findLive(integrationId);
        if (found.isEmpty()) {
            return;
        }
        Integration i = found.get();
        String why = clip(reason == null || reason.isBlank() ? "bad or missing signature" : reason, 500);
        jdbc.sql("UPDATE whatsapp_integrations SET last_rejected_at = ?, last_rejected_reason = ? WHERE id = ?")
                .params(Integrations.now(), why, i.id()).update();
        notifications.notifyOwners(i.orgId(), "integration.webhook_rejected",
                "integration:" + i.id() + ":webhook_rejected",
                "Webhooks refused for " + i.name(),
                "A webhook POST for " + i.name() + " was refused: " + why + ". If these are Meta's deliveries, "
                        + "check that the integration's app secret is the app secret of the Meta app that sends them.");
    }

    @Override
    public void credentialsRejected(UUID integrationId, int metaCode, String metaMessage) {
        Optional<Integration> found = integrationId == null ? Optional.empty() : integrations.findLive(integrationId);
        if (found.isEmpty()) {
            return;
        }
        Integration i = found.get();
        String problem = clip("Meta error " + metaCode + (metaMessage == null || metaMessage.isBlank() ? ""
                : ": " + metaMessage), 1000);
        boolean newlyFlagged = Boolean.TRUE.equals(tx.execute(status -> {
            int changed = jdbc.sql("UPDATE whatsapp_integrations SET needs_new_credentials = TRUE, "
                            + "credentials_problem = ? WHERE id = ? AND needs_new_credentials = FALSE")
                    .params(problem, i.id()).update();
            if (changed > 0) {
                audit.record(i.orgId(), AuditLog.SYSTEM, "integration.credentials_rejected", i.name(),
                        Map.of("integration_id", i.id().toString(), "meta_code", metaCode));
            }
            return changed > 0;
        }));
        if (newlyFlagged) {
            log.warn("Integration {}: Meta rejected its access token (code {}); flagged as needing new credentials",
                    i.id(), metaCode);
            events.publishEvent(new IntegrationChanged(i.orgId(), i.id(), IntegrationChanged.Kind.CREDENTIALS_REJECTED));
        }
        notifications.notifyOwners(i.orgId(), "integration.needs_new_credentials",
                "integration:" + i.id() + ":credentials",
                i.name() + " needs new credentials",
                "Meta refused the access token of " + i.name() + " (" + problem + "). The token has probably expired "
                        + "or was revoked: create a System User token in Meta Business Settings and update the "
                        + "integration's access_token.");
    }

    @Override
    public void accountEvent(UUID integrationId, String field, String event, String rawJson) {
        Optional<Integration> found = integrationId == null ? Optional.empty() : integrations.findLive(integrationId);
        if (found.isEmpty() || field == null || field.isBlank()) {
            return;
        }
        Integration i = found.get();
        String f = clip(field, 100);
        String e = event == null ? null : clip(event.toUpperCase(Locale.ROOT), 100);
        OffsetDateTime now = Integrations.now();
        boolean good = e != null && GOOD_EVENTS.contains(e);
        tx.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO whatsapp_account_events (integration_id, org_id, field, event, raw, received_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?)")
                    .params(i.id(), i.orgId(), f, e, rawJson == null ? null : clip(rawJson, 20000), now).update();
            if (good) {
                jdbc.sql("UPDATE whatsapp_integrations SET account_alert_field = NULL, account_alert_event = NULL, "
                        + "account_alert_at = NULL WHERE id = ? AND account_alert_field = ?").params(i.id(), f).update();
            } else {
                jdbc.sql("UPDATE whatsapp_integrations SET account_alert_field = ?, account_alert_event = ?, "
                        + "account_alert_at = ? WHERE id = ?").params(f, e, now, i.id()).update();
            }
            audit.record(i.orgId(), AuditLog.SYSTEM, "integration.account_event", i.name(),
                    e == null ? Map.of("integration_id", i.id().toString(), "field", f)
                            : Map.of("integration_id", i.id().toString(), "field", f, "event", e));
        });
        if (!good) {
            notifications.notifyOwners(i.orgId(), "integration.account_event",
                    "integration:" + i.id() + ":account:" + f,
                    "Meta reported " + (e == null ? f : e) + " for " + i.name(),
                    "Meta sent " + f + (e == null ? "" : " with event " + e) + " for " + i.name()
                            + ". See the integration's account events for the details.");
        }
    }

    /** The integration's account events, newest first. */
    List<Map<String, Object>> accountEvents(UUID integrationId, int limit) {
        int l = Math.max(1, Math.min(limit, 200));
        return jdbc.sql("SELECT id, field, event, raw, received_at FROM whatsapp_account_events "
                        + "WHERE integration_id = ? ORDER BY id DESC LIMIT ?")
                .params(integrationId, l).query((rs, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getLong("id"));
                    m.put("field", rs.getString("field"));
                    m.put("event", rs.getString("event"));
                    m.put("raw", rs.getString("raw"));
                    m.put("received_at", rs.getObject("received_at", OffsetDateTime.class));
                    return m;
                }).list();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
