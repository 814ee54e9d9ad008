package dev.parley.server.media.receipts;

import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.server.audit.AuditLog;
import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationRef;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.identity.Actor;
import dev.parley.server.messaging.ConversationReads;
import dev.parley.server.messaging.InboundMessageStored;
import dev.parley.server.web.ApiException;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Read receipts: per integration {@code automatic} (each inbound message is marked read at Meta once stored) or
 * {@code on_open} (the default: when someone opens the conversation, its latest inbound message is marked read,
 * which Meta applies to the earlier ones too, and the unread count goes back to 0). Meta's 190 flags the
 * integration through {@link IntegrationSignals#credentialsRejected}.
 */
@Service
public class ReadReceipts {

    static final String AUTOMATIC = "automatic";
    static final String ON_OPEN = "on_open";

    private static final Logger log = LoggerFactory.getLogger(ReadReceipts.class);

    private final JdbcClient jdbc;
    private final IntegrationClients clients;
    private final IntegrationSignals signals;
    private final ConversationReads conversations;
    private final AuditLog audit;
    /** Automatic receipts leave the webhook's processing thread at once; a full queue drops (and logs) them. */
    private final ThreadPoolExecutor automatic = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "parley-read-receipts");
                t.setDaemon(true);
                return t;
            }, (r, e) -> log.warn("read receipts queue full: an automatic read receipt was dropped"));

    ReadReceipts(JdbcClient jdbc, IntegrationClients clients, IntegrationSignals signals,
                 ConversationReads conversations, AuditLog audit) {
        this.jdbc = jdbc;
        this.clients = clients;
        this.signals = signals;
        this.conversations = conversations;
        this.audit = audit;
    }

    @PreDestroy
    void close() {
        automatic.shutdownNow();
    }

    // ---------------------------------------------------------------- settings

    String mode(UUID integrationId) {
        return jdbc.sql("SELECT mode FROM read_receipt_settings WHERE integration_id = ?").params(integrationId)
                .query(String.class).optional().orElse(ON_OPEN);
    }

    String mode(Actor actor, UUID integrationId) {
        clients.ref(actor.orgId(), integrationId); // 404 unless the caller's organization has it
        return mode(integrationId);
    }

    String setMode(Actor actor, UUID integrationId, String mode) {
        clients.ref(actor.orgId(), integrationId);
        if (!AUTOMATIC.equals(mode) && !ON_OPEN.equals(mode)) {
            throw ApiException.unprocessable("invalid_mode", "mode must be automatic or on_open");
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        int updated = jdbc.sql("UPDATE read_receipt_settings SET mode = ?, updated_at = ? WHERE integration_id = ?")
                .params(mode, now, integrationId).update();
        if (updated == 0) {
            try {
                jdbc.sql("""
                                INSERT INTO read_receipt_settings (integration_id, org_id, mode, updated_at)
                                VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                        .params(integrationId, actor.orgId(), mode, now).update();
            } catch (org.springframework.dao.DuplicateKeyException e) {
                // set concurrently: ours is applied below
            }
            jdbc.sql("UPDATE read_receipt_settings SET mode = ?, updated_at = ? WHERE integration_id = ?")
                    .params(mode, now, integrationId).update();
        }
        audit.record(actor, "integration.read_receipts.updated", integrationId.toString(), Map.of("mode", mode));
        return mode;
    }

    // ---------------------------------------------------------------- marking

    /** What opening a conversation did. */
    record Opened(UUID conversationId, UUID markedMessageId, String markedWamid) {
    }

    /**
     * Someone opened the conversation: its unread count goes to 0 and its latest inbound message is marked read
     * at Meta (with the typing indicator when asked). 404 for another organization's conversation; Meta's
     * refusal answers 502 with Meta's code (the unread count stays reset: it is Parley's own state).
     */
    Opened open(Actor actor, UUID conversationId, boolean typing) {
        ConversationReads.LatestInbound latest = conversations.latestInbound(actor.orgId(), conversationId)
                .orElseThrow(() -> ApiException.notFound("conversation"));
        conversations.resetUnread(actor.orgId(), conversationId);
        if (latest.wamid() != null) {
            IntegrationRef ref = clients.ref(actor.orgId(), latest.integrationId());
            try {
                clients.forIntegration(actor.orgId(), latest.integrationId())
                        .markRead(ref.phoneNumberId(), latest.wamid(), typing);
            } catch (GraphApiException e) {
                if (e.needsReauthorization()) {
                    signals.credentialsRejected(latest.integrationId(), e.code(), e.message());
                }
                throw new ApiException(HttpStatus.BAD_GATEWAY, "graph_error",
                        "Meta answered error " + e.code() + (e.message() == null ? "" : ": " + e.message()));
            } catch (GraphException e) {
                throw new ApiException(HttpStatus.BAD_GATEWAY, "graph_unreachable",
                        "could not reach the Graph API at the integration's graph_base_url");
            }
        }
        return new Opened(conversationId, latest.messageId(), latest.wamid());
    }

    /** Automatic mode: after the message is committed, mark it read at Meta (off the webhook's thread). */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void stored(InboundMessageStored e) {
        if (e.wamid() == null || "system".equals(e.type()) || !AUTOMATIC.equals(mode(e.integrationId()))) {
            return;
        }
        automatic.execute(() -> markAutomatically(e));
    }

    private void markAutomatically(InboundMessageStored e) {
        try {
            IntegrationRef ref = clients.ref(e.orgId(), e.integrationId());
            if (!ref.enabled()) {
                return;
            }
            clients.forIntegration(e.orgId(), e.integrationId()).markRead(ref.phoneNumberId(), e.wamid(), false);
        } catch (GraphApiException ex) {
            if (ex.needsReauthorization()) {
                signals.credentialsRejected(e.integrationId(), ex.code(), ex.message());
            }
            log.warn("automatic read receipt for message {} refused by Meta: {} {}", e.messageId(), ex.code(),
                    ex.message());
        } catch (RuntimeException ex) {
            log.warn("automatic read receipt for message {} failed: {}", e.messageId(), ex.toString());
        }
    }
}
