package dev.parley.server.messaging;

import dev.parley.cloudapi.webhook.Context;
import dev.parley.cloudapi.webhook.InboundMessage;
import dev.parley.cloudapi.webhook.MessageContent;
import dev.parley.cloudapi.webhook.MessageEvent;
import dev.parley.cloudapi.webhook.MessageStatus;
import dev.parley.cloudapi.webhook.MessageType;
import dev.parley.cloudapi.webhook.StatusEvent;
import dev.parley.cloudapi.webhook.WebhookError;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import static dev.parley.server.messaging.MessageStore.WINDOW;
import static dev.parley.server.messaging.MessageStore.time;
import static dev.parley.server.messaging.MessageStore.truncate;

/**
 * {@link InboundItems#applyAll}: the items of many deliveries stored with a few batched statements per
 * integration (one look-up of the wamids already stored, one batch each for contacts, conversations, messages,
 * conversation counters and statuses) instead of several statements per item. Exactly once as in
 * {@link MessageStore#apply}: a message is new only when its (integration, wamid) was not stored before, nor earlier
 * in this batch, and its row is really ours after the insert ({@code ON CONFLICT DO NOTHING} plus the unique keys);
 * a status likewise per (integration, wamid, status).
 */
final class InboundBatchWriter {

    /** Most values in one {@code IN (...)} list. */
    private static final int CHUNK = 1000;

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final MessageStore store;

    InboundBatchWriter(NamedParameterJdbcTemplate jdbc, JsonMapper json, ApplicationEventPublisher events,
                       MessageStore store) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
        this.store = store;
    }

    /** Per-group counters, turned into {@link InboundResult}s at the end. */
    private static final class Counts {
        int stored;
        int duplicate;
        int applied;
        int statusDuplicate;
        final List<UUID> ids = new ArrayList<>();
    }

    private record Msg(int group, InboundContext ctx, MessageEvent e, String waId) {
    }

    private record Stat(int group, InboundContext ctx, MessageStatus s, String wamid, String status) {
    }

    List<InboundResult> apply(List<InboundGroup> groups) {
        List<Counts> counts = new ArrayList<>(groups.size());
        Map<UUID, List<Msg>> messagesByIntegration = new LinkedHashMap<>();
        Map<UUID, List<Stat>> statusesByIntegration = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            counts.add(new Counts());
            InboundGroup group = groups.get(g);
            InboundContext ctx = group.context();
            // the same order as apply: contact, then time; statuses by wamid, then rank
            List<MessageEvent> ordered = new ArrayList<>(group.messages() == null ? List.of() : group.messages());
            ordered.removeIf(e -> e == null || e.message() == null || e.message().id() == null);
            ordered.sort(Comparator.comparing((MessageEvent e) -> String.valueOf(MessageStore.waId(e)))
                    .thenComparing(e -> String.valueOf(e.message().timestamp())));
            for (MessageEvent e : ordered) {
                messagesByIntegration.computeIfAbsent(ctx.integrationId(), k -> new ArrayList<>())
                        .add(new Msg(g, ctx, e, MessageStore.waId(e)));
            }
            List<StatusEvent> statuses = new ArrayList<>(group.statuses() == null ? List.of() : group.statuses());
            statuses.removeIf(s -> s == null || s.status() == null || s.status().id() == null
                    || s.status().rawStatus() == null);
            statuses.sort(Comparator.comparing((StatusEvent s) -> s.status().id())
                    .thenComparing(s -> Statuses.rank(s.status().rawStatus())));
            for (StatusEvent s : statuses) {
                statusesByIntegration.computeIfAbsent(ctx.integrationId(), k -> new ArrayList<>())
                        .add(new Stat(g, ctx, s.status(), truncate(s.status().id(), 300),
                                truncate(s.status().rawStatus(), 40)));
            }
        }
        for (Map.Entry<UUID, List<Msg>> e : messagesByIntegration.entrySet()) {
            storeMessages(e.getKey(), e.getValue(), counts);
        }
        for (Map.Entry<UUID, List<Stat>> e : statusesByIntegration.entrySet()) {
            storeStatuses(e.getKey(), e.getValue(), counts);
        }
        List<InboundResult> results = new ArrayList<>(counts.size());
        for (Counts c : counts) {
            results.add(new InboundResult(c.stored, c.duplicate, c.applied, c.statusDuplicate, List.copyOf(c.ids)));
        }
        return results;
    }

    // ---------------------------------------------------------------- messages

    private record ContactWanted(UUID org, String waId, String name, String userId) {
    }

    private record ContactRow(UUID id, String name, String userId) {
    }

    private record NewMessage(Msg msg, UUID id, UUID conversationId, OffsetDateTime at, String type, JsonNode content,
                              MapSqlParameterSource params) {
    }

    private static final class ConversationDelta {
        OffsetDateTime maxAt;
        OffsetDateTime maxCustomerAt;
        int count;
    }

    /** Which of these wamids have a message of the integration (one index probe per wamid). */
    List<String> existingWamids(UUID integration, List<String> wamids) {
        return select("SELECT m.wamid FROM " + VARCHARS + " JOIN messages m ON m.integration_id = :integration"
                + " AND m.wamid = k.v", integration, wamids, (rs, n) -> rs.getString(1));
    }

    /**
     * Which of these wamids have statuses stored (only unapplied ones with {@code unappliedOnly}): one index probe
     * per wamid.
     */
    List<String> withStatuses(UUID integration, List<String> wamids, boolean unappliedOnly) {
        return select("SELECT DISTINCT s.wamid FROM " + VARCHARS + " JOIN message_statuses s"
                + " ON s.integration_id = :integration AND s.wamid = k.v"
                + (unappliedOnly ? " AND s.applied_at IS NULL" : ""), integration, wamids, (rs, n) -> rs.getString(1));
    }

    private void storeMessages(UUID integration, List<Msg> all, List<Counts> counts) {
        Set<String> seen = new HashSet<>(existingWamids(integration, distinct(all, m -> m.e().message().id())));
        List<Msg> fresh = new ArrayList<>();
        for (Msg m : all) {
            if (seen.add(m.e().message().id())) {
                fresh.add(m);
            } else {
                counts.get(m.group()).duplicate++;
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        OffsetDateTime now = MessageStore.now();

        // contacts: one row per wa_id; the latest profile name wins, the first user id fills an empty one
        Map<String, ContactWanted> wanted = new TreeMap<>();
        for (Msg m : fresh) {
            String waId = truncate(m.waId(), 64);
            String name = truncate(m.e().profileName(), 500);
            String userId = m.e().contact() != null && m.waId().equals(m.e().contact().waId())
                    ? truncate(m.e().contact().userId(), 200) : null;
            ContactWanted before = wanted.get(waId);
            wanted.put(waId, before == null ? new ContactWanted(m.ctx().orgId(), waId, name, userId)
                    : new ContactWanted(before.org(), waId, name != null ? name : before.name(),
                    before.userId() != null ? before.userId() : userId));
        }
        List<SqlParameterSource> contactRows = new ArrayList<>(wanted.size());
        for (ContactWanted c : wanted.values()) {
            contactRows.add(new MapSqlParameterSource().addValue("id", UUID.randomUUID()).addValue("org", c.org())
                    .addValue("integration", integration).addValue("waId", c.waId()).addValue("name", c.name(), Types.VARCHAR)
                    .addValue("userId", c.userId(), Types.VARCHAR).addValue("now", now));
        }
        jdbc.batchUpdate("INSERT INTO contacts (id, org_id, integration_id, wa_id, name, user_id, created_at,"
                + " updated_at) VALUES (:id, :org, :integration, :waId, :name, :userId, :now, :now)"
                + " ON CONFLICT DO NOTHING", contactRows.toArray(SqlParameterSource[]::new));
        Map<String, ContactRow> contacts = new HashMap<>();
        for (Object[] row : select("SELECT c.wa_id, c.id, c.name, c.user_id FROM " + VARCHARS + " JOIN contacts c"
                        + " ON c.integration_id = :integration AND c.wa_id = k.v", integration, new ArrayList<>(wanted.keySet()),
                (rs, n) -> new Object[] {rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4)})) {
            contacts.put((String) row[0], new ContactRow((UUID) row[1], (String) row[2], (String) row[3]));
        }
        List<SqlParameterSource> names = new ArrayList<>();
        List<SqlParameterSource> userIds = new ArrayList<>();
        for (ContactWanted c : wanted.values()) {
            ContactRow row = contacts.get(c.waId());
            if (row == null) {
                throw new IllegalStateException("contact " + c.waId() + " was not stored");
            }
            if (c.name() != null && !c.name().equals(row.name())) {
                names.add(new MapSqlParameterSource().addValue("name", c.name()).addValue("now", now)
                        .addValue("id", row.id()));
            }
            if (c.userId() != null && row.userId() == null) {
                userIds.add(new MapSqlParameterSource().addValue("userId", c.userId()).addValue("id", row.id()));
            }
        }
        if (!names.isEmpty()) {
            jdbc.batchUpdate("UPDATE contacts SET name = :name, updated_at = :now WHERE id = :id"
                    + " AND (name IS NULL OR name <> :name)", names.toArray(SqlParameterSource[]::new));
        }
        if (!userIds.isEmpty()) {
            jdbc.batchUpdate("UPDATE contacts SET user_id = :userId WHERE id = :id AND user_id IS NULL",
                    userIds.toArray(SqlParameterSource[]::new));
        }

        // conversations: one per contact, created with the earliest message's time
        Map<UUID, OffsetDateTime> firstAt = new TreeMap<>();
        for (Msg m : fresh) {
            UUID contact = contacts.get(truncate(m.waId(), 64)).id();
            OffsetDateTime at = at(m);
            firstAt.merge(contact, at, (a, b) -> a.isBefore(b) ? a : b);
        }
        List<SqlParameterSource> conversationRows = new ArrayList<>(firstAt.size());
        for (Map.Entry<UUID, OffsetDateTime> c : firstAt.entrySet()) {
            conversationRows.add(new MapSqlParameterSource().addValue("id", UUID.randomUUID())
                    .addValue("org", orgOf(fresh)).addValue("integration", integration)
                    .addValue("contact", c.getKey()).addValue("now", now).addValue("at", c.getValue()));
        }
        jdbc.batchUpdate("INSERT INTO conversations (id, org_id, integration_id, contact_id, created_at,"
                + " last_message_at, unread_count) VALUES (:id, :org, :integration, :contact, :now, :at, 0)"
                + " ON CONFLICT DO NOTHING", conversationRows.toArray(SqlParameterSource[]::new));
        Map<UUID, UUID> conversationByContact = new HashMap<>();
        for (UUID[] row : select("SELECT c.contact_id, c.id FROM " + UUIDS + " JOIN conversations c"
                        + " ON c.integration_id = :integration AND c.contact_id = k.v", integration, new ArrayList<>(firstAt.keySet()),
                (rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)})) {
            conversationByContact.put(row[0], row[1]);
        }

        // the messages themselves
        List<NewMessage> rows = new ArrayList<>(fresh.size());
        for (Msg m : fresh) {
            UUID conversation = conversationByContact.get(contacts.get(truncate(m.waId(), 64)).id());
            if (conversation == null) {
                throw new IllegalStateException("no conversation for contact " + m.waId());
            }
            rows.add(newMessage(m, conversation, now));
        }
        // one global order for the inserts (by wamid), so that concurrent batches wait for each other, never deadlock
        rows.sort(Comparator.comparing((NewMessage r) -> r.msg().e().message().id()));
        int[] inserted = jdbc.batchUpdate(MESSAGE_INSERT,
                rows.stream().map(NewMessage::params).toArray(SqlParameterSource[]::new));
        Set<UUID> ours = null;
        for (int c : inserted) {
            if (c != 0 && c != 1) { // e.g. SUCCESS_NO_INFO from PostgreSQL's reWriteBatchedInserts: look
                ours = new HashSet<>(select("SELECT m.id FROM " + UUIDS + " JOIN messages m ON m.id = k.v", null,
                        rows.stream().map(NewMessage::id).toList(), (rs, n) -> rs.getObject(1, UUID.class)));
                break;
            }
        }
        Map<UUID, ConversationDelta> deltas = new TreeMap<>();
        List<NewMessage> stored = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            NewMessage r = rows.get(i);
            boolean ok = ours != null ? ours.contains(r.id()) : i < inserted.length && inserted[i] == 1;
            Counts c = counts.get(r.msg().group());
            if (!ok) {
                c.duplicate++;
                continue;
            }
            c.stored++;
            c.ids.add(r.id());
            stored.add(r);
            ConversationDelta d = deltas.computeIfAbsent(r.conversationId(), k -> new ConversationDelta());
            d.count++;
            d.maxAt = d.maxAt == null || d.maxAt.isBefore(r.at()) ? r.at() : d.maxAt;
            if (r.msg().e().message().kind() != MessageType.SYSTEM) {
                d.maxCustomerAt = d.maxCustomerAt == null || d.maxCustomerAt.isBefore(r.at()) ? r.at()
                        : d.maxCustomerAt;
            }
        }
        if (!deltas.isEmpty()) {
            List<SqlParameterSource> updates = new ArrayList<>(deltas.size());
            for (Map.Entry<UUID, ConversationDelta> e : deltas.entrySet()) {
                ConversationDelta d = e.getValue();
                boolean customer = d.maxCustomerAt != null;
                OffsetDateTime inboundAt = customer ? d.maxCustomerAt : d.maxAt;
                updates.add(new MapSqlParameterSource().addValue("id", e.getKey()).addValue("at", d.maxAt)
                        .addValue("customer", customer).addValue("inboundAt", inboundAt)
                        .addValue("expires", inboundAt.plus(WINDOW)).addValue("n", d.count));
            }
            jdbc.batchUpdate(CONVERSATION_BUMP, updates.toArray(SqlParameterSource[]::new));
        }
        for (NewMessage r : stored) {
            store.publishStored(r.msg().ctx(), r.conversationId(), r.id(), r.msg().e().message().id(), r.type(),
                    r.content());
        }
        UUID org = orgOf(fresh);
        for (UUID conversation : deltas.keySet()) {
            events.publishEvent(new ConversationUpdated(org, conversation));
        }
    }

    private static UUID orgOf(List<Msg> fresh) {
        return fresh.get(0).ctx().orgId();
    }

    private static OffsetDateTime at(Msg m) {
        return time(m.e().message().timestamp() != null ? m.e().message().timestamp() : m.ctx().receivedAt());
    }

    /**
     * A conversation after {@code :n} new messages, the newest at {@code :at}: last message time, unread count, and
     * (when {@code :customer}: the customer wrote, the newest of theirs at {@code :inboundAt}) the 24-hour window.
     */
    static final String CONVERSATION_BUMP = """
            UPDATE conversations SET
              last_message_at = CASE WHEN last_message_at < :at THEN :at ELSE last_message_at END,
              window_expires_at = CASE WHEN :customer AND (last_inbound_at IS NULL OR last_inbound_at < :inboundAt)
                                  THEN :expires ELSE window_expires_at END,
              last_inbound_at = CASE WHEN :customer AND (last_inbound_at IS NULL OR last_inbound_at < :inboundAt)
                                  THEN :inboundAt ELSE last_inbound_at END,
              unread_count = unread_count + :n
            WHERE id = :id""";

    static final String MESSAGE_INSERT = """
            INSERT INTO messages (id, org_id, integration_id, conversation_id, wamid, direction, type,
                wire_type, status, status_rank, content, raw, meta_timestamp, sort_at, created_at,
                error_code, error_title, error_message, error_details, context_wamid, context_from,
                forwarded, frequently_forwarded, referral, reaction_target_wamid, reaction_emoji,
                delivery_id)
            VALUES (:id, :org, :integration, :conversation, :wamid, 'inbound', :type, :wireType,
                'received', 0, :content, :raw, :metaTs, :sortAt, :now, :errCode, :errTitle, :errMessage,
                :errDetails, :ctxWamid, :ctxFrom, :fwd, :ffwd, :referral, :reactTarget, :reactEmoji,
                :delivery)
            ON CONFLICT DO NOTHING""";

    private NewMessage newMessage(Msg msg, UUID conversationId, OffsetDateTime now) {
        InboundMessage m = msg.e().message();
        InboundContext ctx = msg.ctx();
        UUID id = UUID.randomUUID();
        OffsetDateTime at = at(msg);
        WebhookError error = InboundContent.error(m);
        Context c = m.context();
        MessageContent.Reaction reaction = m.content(MessageContent.Reaction.class).orElse(null);
        JsonNode content = InboundContent.content(m);
        String type = InboundContent.type(m);
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("id", id).addValue("org", ctx.orgId()).addValue("integration", ctx.integrationId())
                .addValue("conversation", conversationId).addValue("wamid", m.id())
                .addValue("type", type).addValue("wireType", truncate(m.type(), 100))
                .addValue("content", content == null ? null : json.writeValueAsString(content), Types.VARCHAR)
                .addValue("raw", json.writeValueAsString(m.raw()))
                .addValue("metaTs", time(m.timestamp()), Types.TIMESTAMP_WITH_TIMEZONE).addValue("sortAt", at).addValue("now", now)
                .addValue("errCode", error == null ? null : error.code(), Types.INTEGER)
                .addValue("errTitle", error == null ? null : truncate(error.title(), 1000), Types.VARCHAR)
                .addValue("errMessage", error == null ? null : truncate(error.message(), 2000), Types.VARCHAR)
                .addValue("errDetails", error == null ? null : truncate(error.details(), 4000), Types.VARCHAR)
                .addValue("ctxWamid", c == null ? null : truncate(c.id(), 300), Types.VARCHAR)
                .addValue("ctxFrom", c == null ? null : truncate(c.from(), 64), Types.VARCHAR)
                .addValue("fwd", c == null ? null : c.forwarded(), Types.BOOLEAN)
                .addValue("ffwd", c == null ? null : c.frequentlyForwarded(), Types.BOOLEAN)
                .addValue("referral", m.referral() == null ? null : json.writeValueAsString(m.referral().raw()),
                        Types.VARCHAR)
                .addValue("reactTarget", reaction == null ? null : truncate(reaction.messageId(), 300),
                        Types.VARCHAR)
                .addValue("reactEmoji", reaction == null ? null : truncate(reaction.emoji(), 64), Types.VARCHAR)
                .addValue("delivery", ctx.deliveryId());
        return new NewMessage(msg, id, conversationId, at, type, content, p);
    }

    // ---------------------------------------------------------------- statuses

    private record Target(UUID id, UUID org, UUID conversation) {
    }

    private void storeStatuses(UUID integration, List<Stat> all, List<Counts> counts) {
        Set<String> seen = new HashSet<>(select("SELECT s.wamid, s.status FROM " + VARCHARS + " JOIN message_statuses s"
                        + " ON s.integration_id = :integration AND s.wamid = k.v", integration,
                distinct(all, Stat::wamid), (rs, n) -> rs.getString(1) + '\0' + rs.getString(2)));
        List<Stat> fresh = new ArrayList<>();
        for (Stat s : all) {
            if (seen.add(s.wamid() + '\0' + s.status())) {
                fresh.add(s);
            } else {
                counts.get(s.group()).statusDuplicate++;
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        OffsetDateTime now = MessageStore.now();
        fresh.sort(Comparator.comparing(Stat::wamid).thenComparing(Stat::status)); // one global order (see above)
        List<SqlParameterSource> rows = new ArrayList<>(fresh.size());
        for (Stat st : fresh) {
            MessageStatus s = st.s();
            WebhookError error = s.errors().isEmpty() ? null : s.errors().get(0);
            rows.add(new MapSqlParameterSource().addValue("org", st.ctx().orgId()).addValue("integration", integration)
                    .addValue("wamid", st.wamid()).addValue("status", st.status()).addValue("at", statusAt(st))
                    .addValue("recipient", truncate(s.recipientId(), 64), Types.VARCHAR)
                    .addValue("errCode", error == null ? null : error.code(), Types.INTEGER)
                    .addValue("errTitle", error == null ? null : truncate(error.title(), 1000), Types.VARCHAR)
                    .addValue("errMessage", error == null ? null : truncate(error.message(), 2000),
                            Types.VARCHAR)
                    .addValue("errDetails", error == null ? null : truncate(error.details(), 4000),
                            Types.VARCHAR)
                    .addValue("raw", json.writeValueAsString(s.raw())).addValue("delivery", st.ctx().deliveryId())
                    .addValue("now", now));
        }
        int[] inserted = jdbc.batchUpdate("""
                INSERT INTO message_statuses (org_id, integration_id, wamid, status, meta_timestamp,
                    recipient_id, error_code, error_title, error_message, error_details, raw, delivery_id,
                    received_at)
                VALUES (:org, :integration, :wamid, :status, :at, :recipient, :errCode, :errTitle,
                    :errMessage, :errDetails, :raw, :delivery, :now)
                ON CONFLICT DO NOTHING""", rows.toArray(SqlParameterSource[]::new));
        List<Stat> applied = new ArrayList<>(fresh.size());
        for (int i = 0; i < fresh.size(); i++) {
            // 0: another transaction stored it since the look-up; SUCCESS_NO_INFO (rewritten batches): it was
            // absent at the look-up, and applying it again is harmless (every update below is conditional)
            boolean ok = i >= inserted.length || inserted[i] != 0;
            Counts c = counts.get(fresh.get(i).group());
            if (ok) {
                c.applied++;
                applied.add(fresh.get(i));
            } else {
                c.statusDuplicate++;
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        Map<String, Target> targets = new HashMap<>();
        for (Object[] row : select("SELECT m.wamid, m.id, m.org_id, m.conversation_id FROM " + VARCHARS + " JOIN messages m"
                        + " ON m.integration_id = :integration AND m.wamid = k.v WHERE m.direction = 'outbound'",
                integration, distinct(applied, Stat::wamid),
                (rs, n) -> new Object[] {rs.getString(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        rs.getObject(4, UUID.class)})) {
            targets.put((String) row[0], new Target((UUID) row[1], (UUID) row[2], (UUID) row[3]));
        }
        // a status whose message's wamid is being committed by the sender right now is seen by neither side:
        // applied once more after this commit (see MessageStore.applyAgainAfterCommit)
        List<String> unmatched = new ArrayList<>(distinct(applied, Stat::wamid));
        unmatched.removeIf(targets::containsKey);
        store.applyAgainAfterCommit(integration, unmatched);
        if (targets.isEmpty()) {
            return; // statuses of messages not recorded (yet): kept pending, applied when the message is
        }
        Map<String, List<SqlParameterSource>> timeUpdates = new TreeMap<>();
        List<SqlParameterSource> rankUpdates = new ArrayList<>();
        List<SqlParameterSource> failedUpdates = new ArrayList<>();
        List<SqlParameterSource> appliedMarks = new ArrayList<>();
        Set<Target> touched = new java.util.LinkedHashSet<>();
        for (Stat st : applied) {
            Target t = targets.get(st.wamid());
            if (t == null) {
                continue;
            }
            touched.add(t);
            OffsetDateTime at = statusAt(st);
            String column = Statuses.timeColumn(st.s().rawStatus());
            if (column != null) {
                timeUpdates.computeIfAbsent(column, k -> new ArrayList<>())
                        .add(new MapSqlParameterSource().addValue("at", at).addValue("id", t.id()));
            }
            int rank = Statuses.rank(st.s().rawStatus());
            if (rank == Statuses.FAILED_RANK) {
                WebhookError error = st.s().errors().isEmpty() ? null : st.s().errors().get(0);
                failedUpdates.add(new MapSqlParameterSource().addValue("rank", rank).addValue("id", t.id())
                        .addValue("code", error == null ? null : error.code(), Types.INTEGER)
                        .addValue("title", error == null ? null : truncate(error.title(), 1000), Types.VARCHAR)
                        .addValue("message", error == null ? null : truncate(error.message(), 2000),
                                Types.VARCHAR)
                        .addValue("details", error == null ? null : truncate(error.details(), 4000),
                                Types.VARCHAR));
            } else if (rank > 0) {
                rankUpdates.add(new MapSqlParameterSource().addValue("status", st.s().rawStatus().toLowerCase(Locale.ROOT))
                        .addValue("rank", rank).addValue("id", t.id()));
            }
            appliedMarks.add(new MapSqlParameterSource().addValue("now", now).addValue("integration", integration)
                    .addValue("wamid", st.wamid()).addValue("status", st.s().rawStatus()));
        }
        for (Map.Entry<String, List<SqlParameterSource>> e : timeUpdates.entrySet()) {
            jdbc.batchUpdate("UPDATE messages SET " + e.getKey() + " = :at WHERE id = :id AND " + e.getKey()
                    + " IS NULL", e.getValue().toArray(SqlParameterSource[]::new));
        }
        if (!rankUpdates.isEmpty()) {
            jdbc.batchUpdate("UPDATE messages SET status = :status, status_rank = :rank WHERE id = :id"
                    + " AND status_rank < :rank", rankUpdates.toArray(SqlParameterSource[]::new));
        }
        if (!failedUpdates.isEmpty()) {
            jdbc.batchUpdate("""
                    UPDATE messages SET status = 'failed', status_rank = :rank, error_code = :code,
                        error_title = :title, error_message = :message, error_details = :details
                    WHERE id = :id AND status_rank < :rank""", failedUpdates.toArray(SqlParameterSource[]::new));
        }
        if (!appliedMarks.isEmpty()) {
            jdbc.batchUpdate("UPDATE message_statuses SET applied_at = :now WHERE integration_id = :integration"
                            + " AND wamid = :wamid AND status = :status AND applied_at IS NULL",
                    appliedMarks.toArray(SqlParameterSource[]::new));
        }
        for (Target t : touched) {
            events.publishEvent(new ConversationUpdated(t.org(), t.conversation()));
        }
    }

    private static OffsetDateTime statusAt(Stat st) {
        return time(st.s().timestamp() != null ? st.s().timestamp() : st.ctx().receivedAt());
    }

    // ---------------------------------------------------------------- helpers

    private static <T> List<String> distinct(List<T> items, Function<T, String> key) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (T t : items) {
            keys.add(key.apply(t));
        }
        return new ArrayList<>(keys);
    }

    /**
     * The keys of a look-up as a table {@code k(v)} joined to the looked-up table. ({@code WHERE integration_id = ?
     * AND wamid IN (...)} made H2 scan every row of the integration through the index's first column; a join on an
     * unnested array is one index probe per key on H2 and on PostgreSQL.)
     */
    private static final String VARCHARS = "UNNEST(CAST(:keys AS VARCHAR ARRAY)) AS k(v)";
    private static final String UUIDS = "UNNEST(CAST(:keys AS UUID ARRAY)) AS k(v)";

    /** An SQL array of the keys (strings or UUIDs), made by the connection's driver. */
    private static SqlParameterValue array(List<?> keys) {
        boolean uuids = !keys.isEmpty() && keys.get(0) instanceof UUID;
        Object[] values = keys.toArray(uuids ? new UUID[0] : new String[0]);
        return new SqlParameterValue(Types.ARRAY, new AbstractSqlTypeValue() {
            @Override
            protected Object createTypeValue(Connection con, int sqlType, String typeName) throws SQLException {
                return con.createArrayOf(uuids ? "uuid" : "varchar", values);
            }
        });
    }

    /** A query with {@code :keys} bound to chunks of at most {@link #CHUNK} keys (and {@code :integration}). */
    private <K, R> List<R> select(String sql, UUID integration, List<K> keys,
                                  org.springframework.jdbc.core.RowMapper<R> mapper) {
        List<R> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += CHUNK) {
            MapSqlParameterSource p = new MapSqlParameterSource("keys",
                    array(keys.subList(from, Math.min(keys.size(), from + CHUNK))));
            if (integration != null) {
                p.addValue("integration", integration);
            }
            out.addAll(jdbc.query(sql, p, mapper));
        }
        return out;
    }
}
