package dev.parley.server.messaging;

import dev.parley.cloudapi.webhook.Context;
import dev.parley.cloudapi.webhook.InboundMessage;
import dev.parley.cloudapi.webhook.MessageContent;
import dev.parley.cloudapi.webhook.MessageEvent;
import dev.parley.cloudapi.webhook.MessageStatus;
import dev.parley.cloudapi.webhook.MessageType;
import dev.parley.cloudapi.webhook.StatusEvent;
import dev.parley.cloudapi.webhook.WebhookError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes messages, contacts, conversations and statuses. Exactly once per (integration, wamid) for messages and
 * per (integration, wamid, status) for statuses: unique constraints plus {@code INSERT ... ON CONFLICT DO
 * NOTHING} (PostgreSQL and H2's PostgreSQL mode), so redeliveries and concurrent duplicates never fail the
 * caller's transaction. Status changes are single conditional UPDATEs, so concurrent statuses cannot move a
 * message backwards.
 */
@Service
class MessageStore implements InboundItems, MessageStatuses, OutboundMessages {

    private static final Logger log = LoggerFactory.getLogger(MessageStore.class);
    static final Duration WINDOW = Duration.ofHours(24);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate separateTx;
    private final InboundBatchWriter batch;
    private final NamedParameterJdbcTemplate named;
    private final java.util.Queue<Recheck> recheck = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ExecutorService rechecker = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "status-recheck");
                t.setDaemon(true);
                return t;
            });

    MessageStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, JsonMapper json,
                 ApplicationEventPublisher events, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
        this.separateTx = new TransactionTemplate(transactions);
        this.batch = new InboundBatchWriter(named, json, events, this);
        this.named = named;
    }

    static OffsetDateTime time(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static OffsetDateTime now() {
        return time(Instant.now());
    }

    // ---------------------------------------------------------------- inbound

    @Override
    @Transactional
    public InboundResult apply(InboundContext ctx, List<MessageEvent> messages, List<StatusEvent> statuses) {
        Objects.requireNonNull(ctx, "context");
        int stored = 0;
        int duplicate = 0;
        List<UUID> ids = new ArrayList<>();
        // a stable lock order (contact, then time) so that concurrent batches do not deadlock each other
        List<MessageEvent> ordered = new ArrayList<>(messages == null ? List.of() : messages);
        ordered.removeIf(e -> e == null || e.message() == null || e.message().id() == null);
        ordered.sort(Comparator.comparing((MessageEvent e) -> String.valueOf(waId(e)))
                .thenComparing(e -> String.valueOf(e.message().timestamp())));
        for (MessageEvent e : ordered) {
            Optional<UUID> id = storeInbound(ctx, e);
            if (id.isPresent()) {
                stored++;
                ids.add(id.get());
            } else {
                duplicate++;
            }
        }
        int applied = 0;
        int statusDuplicate = 0;
        List<StatusEvent> orderedStatuses = new ArrayList<>(statuses == null ? List.of() : statuses);
        orderedStatuses.removeIf(s -> s == null || s.status() == null || s.status().id() == null
                || s.status().rawStatus() == null);
        orderedStatuses.sort(Comparator.comparing((StatusEvent s) -> s.status().id())
                .thenComparing(s -> Statuses.rank(s.status().rawStatus())));
        for (StatusEvent s : orderedStatuses) {
            if (storeStatus(ctx, s.status())) {
                applied++;
            } else {
                statusDuplicate++;
            }
        }
        return new InboundResult(stored, duplicate, applied, statusDuplicate, List.copyOf(ids));
    }

    @Override
    @Transactional
    public List<InboundResult> applyAll(List<InboundGroup> groups) {
        return batch.apply(groups);
    }

    static String waId(MessageEvent e) {
        if (e.message().from() != null) {
            return e.message().from();
        }
        return e.contact() != null && e.contact().waId() != null ? e.contact().waId() : "unknown";
    }

    private Optional<UUID> storeInbound(InboundContext ctx, MessageEvent e) {
        InboundMessage m = e.message();
        UUID integration = ctx.integrationId();
        if (exists(integration, m.id())) {
            return Optional.empty();
        }
        String waId = waId(e);
        String userId = e.contact() != null && waId.equals(e.contact().waId()) ? e.contact().userId() : null;
        UUID contactId = upsertContact(ctx.orgId(), integration, waId, e.profileName(), userId);
        OffsetDateTime at = time(m.timestamp() != null ? m.timestamp() : ctx.receivedAt());
        UUID conversationId = upsertConversation(ctx.orgId(), integration, contactId, at);

        UUID id = UUID.randomUUID();
        WebhookError error = InboundContent.error(m);
        Context c = m.context();
        MessageContent.Reaction reaction = m.content(MessageContent.Reaction.class).orElse(null);
        JsonNode content = InboundContent.content(m);
        int rows = insertIgnoringConflict(jdbc.sql(InboundBatchWriter.MESSAGE_INSERT)
                .param("id", id).param("org", ctx.orgId()).param("integration", integration)
                .param("conversation", conversationId).param("wamid", m.id())
                .param("type", InboundContent.type(m)).param("wireType", truncate(m.type(), 100))
                .param("content", content == null ? null : json.writeValueAsString(content))
                .param("raw", json.writeValueAsString(m.raw()))
                .param("metaTs", time(m.timestamp())).param("sortAt", at).param("now", now())
                .param("errCode", error == null ? null : error.code())
                .param("errTitle", error == null ? null : truncate(error.title(), 1000))
                .param("errMessage", error == null ? null : truncate(error.message(), 2000))
                .param("errDetails", error == null ? null : truncate(error.details(), 4000))
                .param("ctxWamid", c == null ? null : truncate(c.id(), 300))
                .param("ctxFrom", c == null ? null : truncate(c.from(), 64))
                .param("fwd", c == null ? null : c.forwarded())
                .param("ffwd", c == null ? null : c.frequentlyForwarded())
                .param("referral", m.referral() == null ? null : json.writeValueAsString(m.referral().raw()))
                .param("reactTarget", reaction == null ? null : truncate(reaction.messageId(), 300))
                .param("reactEmoji", reaction == null ? null : truncate(reaction.emoji(), 64))
                .param("delivery", ctx.deliveryId()));
        if (rows == 0) {
            return Optional.empty();
        }
        boolean customerMessage = m.kind() != MessageType.SYSTEM;
        jdbc.sql(InboundBatchWriter.CONVERSATION_BUMP)
                .param("at", at).param("inboundAt", at).param("expires", at.plus(WINDOW))
                .param("customer", customerMessage).param("n", 1)
                .param("id", conversationId)
                .update();
        publishStored(ctx, conversationId, id, m.id(), InboundContent.type(m), content);
        events.publishEvent(new ConversationUpdated(ctx.orgId(), conversationId));
        return Optional.of(id);
    }

    private static final java.util.Set<String> MEDIA_TYPES =
            java.util.Set.of("image", "video", "audio", "document", "sticker");

    /** {@link InboundMessageStored}, inside this transaction (see its documentation). */
    void publishStored(InboundContext ctx, UUID conversationId, UUID id, String wamid, String type,
                               JsonNode content) {
        String mediaId = null;
        String mime = null;
        String sha = null;
        if (MEDIA_TYPES.contains(type) && content != null && content.isObject()) {
            mediaId = text(content, "id");
            mime = text(content, "mime_type");
            sha = text(content, "sha256");
        }
        events.publishEvent(new InboundMessageStored(ctx.orgId(), ctx.integrationId(), conversationId, id, wamid,
                type, mediaId, mime, sha));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asString();
    }

    private boolean exists(UUID integration, String wamid) {
        return jdbc.sql("SELECT COUNT(*) FROM messages WHERE integration_id = ? AND wamid = ?")
                .params(integration, wamid).query(Long.class).single() > 0;
    }

    UUID upsertContact(UUID org, UUID integration, String waId, String name, String userId) {
        OffsetDateTime now = now();
        String cleanName = truncate(name, 500);
        insertIgnoringConflict(jdbc.sql("""
                        INSERT INTO contacts (id, org_id, integration_id, wa_id, name, user_id, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(UUID.randomUUID(), org, integration, truncate(waId, 64), cleanName, truncate(userId, 200),
                        now, now));
        UUID id = jdbc.sql("SELECT id FROM contacts WHERE integration_id = ? AND wa_id = ?")
                .params(integration, truncate(waId, 64)).query(UUID.class).single();
        if (cleanName != null) {
            jdbc.sql("UPDATE contacts SET name = ?, updated_at = ? WHERE id = ? AND (name IS NULL OR name <> ?)")
                    .params(cleanName, now, id, cleanName).update();
        }
        if (userId != null) {
            jdbc.sql("UPDATE contacts SET user_id = ? WHERE id = ? AND user_id IS NULL")
                    .params(truncate(userId, 200), id).update();
        }
        return id;
    }

    UUID upsertConversation(UUID org, UUID integration, UUID contactId, OffsetDateTime at) {
        insertIgnoringConflict(jdbc.sql("""
                        INSERT INTO conversations (id, org_id, integration_id, contact_id, created_at, last_message_at,
                            unread_count)
                        VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING""")
                .params(UUID.randomUUID(), org, integration, contactId, now(), at));
        return jdbc.sql("SELECT id FROM conversations WHERE integration_id = ? AND contact_id = ?")
                .params(integration, contactId).query(UUID.class).single();
    }

    /** ON CONFLICT DO NOTHING; H2 may still report a key that another open transaction just inserted. */
    private static int insertIgnoringConflict(JdbcClient.StatementSpec insert) {
        try {
            return insert.update();
        } catch (DuplicateKeyException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- statuses

    /** Stores a status once; answers false for a duplicate. Applies it to the message when the message exists. */
    private boolean storeStatus(InboundContext ctx, MessageStatus s) {
        WebhookError error = s.errors().isEmpty() ? null : s.errors().get(0);
        OffsetDateTime at = time(s.timestamp() != null ? s.timestamp() : ctx.receivedAt());
        int rows = insertIgnoringConflict(jdbc.sql("""
                        INSERT INTO message_statuses (org_id, integration_id, wamid, status, meta_timestamp,
                            recipient_id, error_code, error_title, error_message, error_details, raw, delivery_id,
                            received_at)
                        VALUES (:org, :integration, :wamid, :status, :at, :recipient, :errCode, :errTitle,
                            :errMessage, :errDetails, :raw, :delivery, :now)
                        ON CONFLICT DO NOTHING""")
                .param("org", ctx.orgId()).param("integration", ctx.integrationId())
                .param("wamid", truncate(s.id(), 300)).param("status", truncate(s.rawStatus(), 40))
                .param("at", at).param("recipient", truncate(s.recipientId(), 64))
                .param("errCode", error == null ? null : error.code())
                .param("errTitle", error == null ? null : truncate(error.title(), 1000))
                .param("errMessage", error == null ? null : truncate(error.message(), 2000))
                .param("errDetails", error == null ? null : truncate(error.details(), 4000))
                .param("raw", json.writeValueAsString(s.raw())).param("delivery", ctx.deliveryId())
                .param("now", now()));
        if (rows == 0) {
            return false;
        }
        String wamid = truncate(s.id(), 300);
        if (!applyToMessage(ctx.integrationId(), wamid, s.rawStatus(), at, error == null ? null
                : new StoredError(error.code(), error.title(), error.message(), error.details()))) {
            applyAgainAfterCommit(ctx.integrationId(), wamid);
        }
        return true;
    }

    /**
     * A status and the wamid of its message can be committed by two concurrent transactions (Meta's webhook
     * overtaking the sender storing Meta's answer), neither seeing the other's row: each side therefore asks for the
     * wamid's unapplied statuses to be applied once more after it committed. Whichever commits last is seen by a
     * later re-check. The re-checks run on a thread of their own, in batches: never on the committing thread, which
     * still holds its connection while after-commit callbacks run (a second connection there can exhaust the pool).
     */
    void applyAgainAfterCommit(UUID integration, String wamid) {
        applyAgainAfterCommit(integration, List.of(wamid));
    }

    /** {@link #applyAgainAfterCommit(UUID, String)} for many wamids (a batch of webhook statuses). */
    void applyAgainAfterCommit(UUID integration, java.util.Collection<String> wamids) {
        if (wamids.isEmpty() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        List<String> all = List.copyOf(wamids);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                all.forEach(wamid -> recheck.add(new Recheck(integration, wamid)));
                drainSoon();
            }
        });
    }

    /** Tries of one re-check batch before it is given up (logged); the pauses between them add up to about 7 s. */
    private static final int RECHECK_ATTEMPTS = 8;

    private record Recheck(UUID integration, String wamid) {
    }

    private void drainSoon() {
        if (draining.compareAndSet(false, true)) {
            try {
                rechecker.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                draining.set(false); // shutting down
            }
        }
    }

    private void drain() {
        try {
            while (true) {
                List<Recheck> batch = new ArrayList<>();
                for (Recheck r; batch.size() < 500 && (r = recheck.poll()) != null; ) {
                    batch.add(r);
                }
                if (batch.isEmpty()) {
                    break;
                }
                // a re-check can lose a deadlock against a concurrent commit (PostgreSQL): tried again, since a
                // dropped batch would leave its messages' ticks at "queued" for good
                for (int attempt = 1; ; attempt++) {
                    try {
                        separateTx.executeWithoutResult(t -> recheck(batch));
                        break;
                    } catch (RuntimeException e) {
                        if (attempt >= RECHECK_ATTEMPTS) {
                            log.warn("Statuses of {} sent message(s) not re-checked after commit: {}", batch.size(),
                                    e.toString());
                            break;
                        }
                        try {
                            Thread.sleep(50L * attempt * attempt);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        } finally {
            draining.set(false);
            if (!recheck.isEmpty()) {
                drainSoon();
            }
        }
    }

    /** Applies the unapplied statuses of the wamids that have a message by now (the others stay pending). */
    private void recheck(List<Recheck> batch) {
        java.util.Map<UUID, List<String>> byIntegration = new java.util.LinkedHashMap<>();
        batch.forEach(r -> byIntegration.computeIfAbsent(r.integration(), k -> new ArrayList<>()).add(r.wamid()));
        // only wamids that have a message by now and unapplied statuses can change anything: two look-ups by index
        // probes for the batch (statuses of messages Parley never sent, most of a busy number's, stop at the first),
        // then the usually empty rest
        byIntegration.forEach((integration, wamids) -> {
            List<String> known = this.batch.existingWamids(integration,
                    List.copyOf(new java.util.LinkedHashSet<>(wamids)));
            List<String> pending = known.isEmpty() ? List.of() : this.batch.withStatuses(integration, known, true);
            for (String wamid : pending) {
                applyStatuses(integration, wamid, true);
            }
        });
    }

    @jakarta.annotation.PreDestroy
    void stopRechecks() {
        rechecker.shutdown();
    }

    record StoredError(Integer code, String title, String message, String details) {
    }

    /** Applies one status to the outbound message with that wamid, if it exists; marks the status applied. */
    private boolean applyToMessage(UUID integration, String wamid, String status, OffsetDateTime at,
                                   StoredError error) {
        record Target(UUID id, UUID org, UUID conversation) {
        }
        Target target = jdbc.sql("SELECT id, org_id, conversation_id FROM messages WHERE integration_id = ? "
                        + "AND wamid = ? AND direction = 'outbound'")
                .params(integration, wamid)
                .query((rs, n) -> new Target(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class)))
                .optional().orElse(null);
        if (target == null) {
            return false;
        }
        UUID messageId = target.id();
        events.publishEvent(new ConversationUpdated(target.org(), target.conversation()));
        String column = Statuses.timeColumn(status);
        if (column != null) {
            jdbc.sql("UPDATE messages SET " + column + " = ? WHERE id = ? AND " + column + " IS NULL")
                    .params(at, messageId).update();
        }
        int rank = Statuses.rank(status);
        if (rank > 0) {
            // one conditional statement: concurrent statuses can only move the message up the ladder
            if (rank == Statuses.FAILED_RANK) {
                jdbc.sql("""
                                UPDATE messages SET status = 'failed', status_rank = :rank, error_code = :code,
                                    error_title = :title, error_message = :message, error_details = :details
                                WHERE id = :id AND status_rank < :rank""")
                        .param("rank", rank).param("id", messageId)
                        .param("code", error == null ? null : error.code())
                        .param("title", error == null ? null : truncate(error.title(), 1000))
                        .param("message", error == null ? null : truncate(error.message(), 2000))
                        .param("details", error == null ? null : truncate(error.details(), 4000))
                        .update();
            } else {
                jdbc.sql("UPDATE messages SET status = ?, status_rank = ? WHERE id = ? AND status_rank < ?")
                        .params(status.toLowerCase(java.util.Locale.ROOT), rank, messageId, rank).update();
            }
        }
        jdbc.sql("UPDATE message_statuses SET applied_at = ? WHERE integration_id = ? AND wamid = ? AND status = ? "
                        + "AND applied_at IS NULL")
                .params(now(), integration, wamid, status).update();
        return true;
    }

    @Override
    @Transactional
    public int applyPendingStatuses(UUID integrationId, String wamid) {
        return applyStatuses(integrationId, wamid, false);
    }

    private int applyStatuses(UUID integrationId, String wamid, boolean unappliedOnly) {
        record Row(String status, OffsetDateTime at, Integer code, String title, String message, String details) {
        }
        List<Row> rows = jdbc.sql("SELECT status, meta_timestamp, error_code, error_title, error_message, "
                        + "error_details FROM message_statuses WHERE integration_id = ? AND wamid = ?"
                        + (unappliedOnly ? " AND applied_at IS NULL" : "") + " ORDER BY id")
                .params(integrationId, wamid)
                .query((rs, n) -> new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class),
                        (Integer) rs.getObject(3), rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
        for (Row r : rows) {
            applyToMessage(integrationId, wamid, r.status(), r.at(), r.code() == null && r.title() == null ? null
                    : new StoredError(r.code(), r.title(), r.message(), r.details()));
        }
        return rows.size();
    }

    // ---------------------------------------------------------------- outbound

    @Override
    @Transactional
    public UUID record(UUID orgId, UUID integrationId, String toWaId, String type, JsonNode content,
                       String contextWamid) {
        String waId = toWaId == null ? null : toWaId.replaceAll("[^0-9]", "");
        if (waId == null || waId.isEmpty()) {
            throw new IllegalArgumentException("an outbound message needs a recipient wa_id");
        }
        UUID contactId = upsertContact(orgId, integrationId, waId, null, null);
        OffsetDateTime now = now();
        UUID conversationId = upsertConversation(orgId, integrationId, contactId, now);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO messages (id, org_id, integration_id, conversation_id, direction, type, wire_type,
                            status, status_rank, content, sort_at, created_at, context_wamid)
                        VALUES (?, ?, ?, ?, 'outbound', ?, ?, 'queued', 0, ?, ?, ?, ?)""")
                .params(id, orgId, integrationId, conversationId, truncate(type, 40), truncate(type, 100),
                        content == null ? null : json.writeValueAsString(content), now, now,
                        truncate(contextWamid, 300))
                .update();
        jdbc.sql("UPDATE conversations SET last_message_at = CASE WHEN last_message_at < ? THEN ? "
                        + "ELSE last_message_at END WHERE id = ?")
                .params(now, now, conversationId).update();
        events.publishEvent(new ConversationUpdated(orgId, conversationId));
        return id;
    }

    @Override
    @Transactional
    public void accepted(UUID messageId, String wamid) {
        UUID integration = jdbc.sql("SELECT integration_id FROM messages WHERE id = ?").params(messageId)
                .query(UUID.class).optional()
                .orElseThrow(() -> new IllegalArgumentException("no message " + messageId));
        jdbc.sql("UPDATE messages SET wamid = ? WHERE id = ?").params(truncate(wamid, 300), messageId).update();
        applyPendingStatuses(integration, truncate(wamid, 300));
        applyAgainAfterCommit(integration, truncate(wamid, 300));
    }

    /**
     * {@link #accepted(UUID, String)} for many messages of one integration in a few statements whatever their number:
     * one JDBC batch of updates (a message that is not there, or not the integration's, fails the whole call), one
     * lookup of the statuses that arrived before the answers (usually none).
     */
    @Override
    @Transactional
    public void acceptedAll(UUID integrationId, java.util.Map<UUID, String> wamids) {
        if (wamids.isEmpty()) {
            return;
        }
        List<UUID> ids = List.copyOf(wamids.keySet());
        org.springframework.jdbc.core.namedparam.SqlParameterSource[] rows = ids.stream()
                .map(id -> new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                        .addValue("wamid", truncate(wamids.get(id), 300)).addValue("id", id)
                        .addValue("integration", integrationId))
                .toArray(org.springframework.jdbc.core.namedparam.SqlParameterSource[]::new);
        int[] updated = named.batchUpdate(
                "UPDATE messages SET wamid = :wamid WHERE id = :id AND integration_id = :integration", rows);
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                throw new IllegalArgumentException("no message " + ids.get(i) + " of integration " + integrationId);
            }
        }
        List<String> list = new ArrayList<>(ids.size());
        ids.forEach(id -> list.add(truncate(wamids.get(id), 300)));
        for (String wamid : batch.withStatuses(integrationId, list, false)) {
            applyStatuses(integrationId, wamid, false);
        }
        applyAgainAfterCommit(integrationId, list);
    }

    @Override
    @Transactional
    public void failed(UUID messageId, Integer code, String title, String message, String details) {
        jdbc.sql("""
                        UPDATE messages SET status = 'failed', status_rank = :rank, failed_at = COALESCE(failed_at, :now),
                            error_code = :code, error_title = :title, error_message = :message, error_details = :details
                        WHERE id = :id AND status_rank < :rank""")
                .param("rank", Statuses.FAILED_RANK).param("now", now()).param("code", code)
                .param("title", truncate(title, 1000)).param("message", truncate(message, 2000))
                .param("details", truncate(details, 4000)).param("id", messageId)
                .update();
        jdbc.sql("SELECT org_id, conversation_id FROM messages WHERE id = ?").params(messageId)
                .query((rs, n) -> new ConversationUpdated(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .optional().ifPresent(events::publishEvent);
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
