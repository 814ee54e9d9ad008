package dev.parley.server.media.templatesync;

import dev.parley.server.channel.IntegrationChanged;
import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationRef;
import dev.parley.server.jobs.PollingLoop;
import dev.parley.server.template.TemplateRefresh;
import dev.parley.server.template.TemplateUnknown;
import dev.parley.server.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Syncs every live, enabled integration's templates from Meta every {@code parley.templates.sync-interval}
 * (default 6 hours), a new integration {@code first-sync-delay} after it is first seen, and soon after a
 * template webhook names a template Parley has never synced ({@link TemplateUnknown}). Several nodes: an
 * integration is synced by the node whose compare-and-set moves its {@code next_sync_at} forward, so one sync
 * per period, whichever node wins. The sync itself is the template feature's ({@link TemplateRefresh}).
 */
@Component
class TemplateSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TemplateSchedule.class);

    private final JdbcClient jdbc;
    private final IntegrationClients clients;
    private final TemplateRefresh refresh;
    private final Duration interval;
    private final Duration firstDelay;
    private final Duration unknownDelay;
    private final Duration retryAfterFailure;
    private final PollingLoop loop;

    TemplateSchedule(JdbcClient jdbc, IntegrationClients clients, TemplateRefresh refresh,
                     @Value("${parley.templates.sync-interval:PT6H}") Duration interval,
                     @Value("${parley.templates.first-sync-delay:PT1M}") Duration firstDelay,
                     @Value("${parley.templates.sync-check-interval:PT30S}") Duration checkInterval,
                     @Value("${parley.templates.unknown-sync-delay:PT30S}") Duration unknownDelay) {
        this.jdbc = jdbc;
        this.clients = clients;
        this.refresh = refresh;
        this.interval = interval;
        this.firstDelay = firstDelay;
        this.unknownDelay = unknownDelay;
        this.retryAfterFailure = interval.compareTo(Duration.ofMinutes(15)) < 0 ? interval : Duration.ofMinutes(15);
        // a sync per due integration, then wait: the schedule is checked every sync-check-interval or when woken
        this.loop = new PollingLoop("template-schedule", checkInterval, () -> {
            runOnce();
            return false;
        });
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * A template webhook named a template never synced: its integration is synced within
     * {@code parley.templates.unknown-sync-delay} (default 30 s: Meta's list may lag behind its webhook, and a burst
     * of such webhooks becomes one sync), on whichever node.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void unknownTemplate(TemplateUnknown e) {
        OffsetDateTime target = now().plus(unknownDelay);
        ensureRow(e.integrationId(), e.orgId(), target);
        jdbc.sql("UPDATE template_sync_schedule SET next_sync_at = ?, updated_at = ? WHERE integration_id = ?"
                        + " AND next_sync_at > ?")
                .params(target, now(), e.integrationId(), target).update();
        wake();
    }

    /** A deleted integration leaves the schedule. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void integrationChanged(IntegrationChanged e) {
        if (e.kind() == IntegrationChanged.Kind.DELETED) {
            jdbc.sql("DELETE FROM template_sync_schedule WHERE integration_id = ?").params(e.integrationId()).update();
        }
    }

    private void ensureRow(UUID integrationId, UUID orgId, OffsetDateTime next) {
        try {
            jdbc.sql("""
                            INSERT INTO template_sync_schedule (integration_id, org_id, next_sync_at, updated_at)
                            VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(integrationId, orgId, next, now()).update();
        } catch (DuplicateKeyException e) {
            // another node added it
        }
    }

    /** One pass: schedules integrations not seen yet, then syncs each due one this node wins. Answers syncs run. */
    int runOnce() {
        List<IntegrationRef> live = clients.live();
        Set<UUID> known = new HashSet<>(jdbc.sql("SELECT integration_id FROM template_sync_schedule")
                .query(UUID.class).list());
        for (IntegrationRef ref : live) {
            if (!known.contains(ref.integrationId())) {
                ensureRow(ref.integrationId(), ref.orgId(), now().plus(firstDelay));
            }
        }
        java.util.Map<UUID, IntegrationRef> byId = new java.util.HashMap<>();
        live.forEach(r -> byId.put(r.integrationId(), r));
        record Due(UUID integrationId, OffsetDateTime at) {
        }
        List<Due> due = jdbc.sql("SELECT integration_id, next_sync_at FROM template_sync_schedule"
                        + " WHERE next_sync_at <= ? ORDER BY next_sync_at")
                .params(now()).query((rs, n) -> new Due(rs.getObject(1, UUID.class),
                        rs.getObject(2, OffsetDateTime.class))).list();
        int synced = 0;
        for (Due d : due) {
            IntegrationRef ref = byId.get(d.integrationId());
            if (ref == null || !ref.enabled() || !loop.isRunning()) {
                continue;
            }
            OffsetDateTime now = now();
            // compare-and-set: only the node that moves next_sync_at from the value it read syncs
            int won = jdbc.sql("UPDATE template_sync_schedule SET next_sync_at = ?, updated_at = ?"
                            + " WHERE integration_id = ? AND next_sync_at = ?")
                    .params(now.plus(interval), now, ref.integrationId(), d.at()).update();
            if (won == 1) {
                sync(ref);
                synced++;
            }
        }
        return synced;
    }

    private void sync(IntegrationRef ref) {
        String status = "ok";
        String error = null;
        try {
            int n = refresh.syncTemplates(ref.orgId(), ref.integrationId());
            log.debug("scheduled template sync of integration {}: {} templates", ref.integrationId(), n);
        } catch (ApiException e) {
            status = "failed";
            error = e.getMessage();
        } catch (RuntimeException e) {
            status = "failed";
            error = e.toString();
        }
        OffsetDateTime now = now();
        if (error != null) {
            log.warn("scheduled template sync of integration {} failed: {}", ref.integrationId(), error);
            jdbc.sql("UPDATE template_sync_schedule SET last_status = ?, last_error = ?, next_sync_at = ?,"
                            + " updated_at = ? WHERE integration_id = ?")
                    .params(status, cut(error), now.plus(retryAfterFailure), now, ref.integrationId()).update();
        } else {
            jdbc.sql("UPDATE template_sync_schedule SET last_status = ?, last_error = NULL, last_synced_at = ?,"
                            + " updated_at = ? WHERE integration_id = ?")
                    .params(status, now, now, ref.integrationId()).update();
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    void wake() {
        loop.wake();
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }
}
