package dev.parley.server.messaging;

import dev.parley.server.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads conversations and messages for the API, always scoped to one organization. */
@Service
class MessageQueries {

    record Page(List<Map<String, Object>> data, String nextBefore) {
    }

    private static final String CONVERSATION_COLUMNS = """
            SELECT c.id, c.integration_id, c.created_at, c.last_message_at, c.last_inbound_at,
                   c.window_expires_at, c.unread_count, k.wa_id, k.name
            FROM conversations c JOIN contacts k ON k.id = c.contact_id""";

    private static final String MESSAGE_COLUMNS = """
            SELECT m.id, m.seq, m.conversation_id, m.integration_id, m.wamid, m.direction, m.type, m.wire_type,
                   m.status, m.content, m.meta_timestamp, m.sort_at, m.created_at, m.sent_at, m.delivered_at,
                   m.read_at, m.failed_at, m.error_code, m.error_title, m.error_message, m.error_details,
                   m.context_wamid, m.context_from, m.forwarded, m.frequently_forwarded, m.referral,
                   m.reaction_target_wamid, m.reaction_emoji, r.id AS context_message_id,
                   t.id AS reaction_target_id
            FROM messages m
            LEFT JOIN messages r ON r.integration_id = m.integration_id AND r.wamid = m.context_wamid
            LEFT JOIN messages t ON t.integration_id = m.integration_id AND t.wamid = m.reaction_target_wamid""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    MessageQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    // ---------------------------------------------------------------- conversations

    Page conversations(UUID org, UUID integration, int limit, String before) {
        return conversations(org, integration, null, limit, before);
    }

    /** {@code state}: null for all, {@code unread} (unread messages), {@code open} (the 24-hour window is open). */
    Page conversations(UUID org, UUID integration, String state, int limit, String before) {
        StringBuilder sql = new StringBuilder(CONVERSATION_COLUMNS).append(" WHERE c.org_id = :org");
        Map<String, Object> params = new HashMap<>();
        params.put("org", org);
        if (integration != null) {
            sql.append(" AND c.integration_id = :integration");
            params.put("integration", integration);
        }
        if ("unread".equals(state)) {
            sql.append(" AND c.unread_count > 0");
        } else if ("open".equals(state)) {
            sql.append(" AND c.window_expires_at > :now");
            params.put("now", MessageStore.now());
        } else if ("closed".equals(state)) {
            sql.append(" AND (c.window_expires_at IS NULL OR c.window_expires_at <= :now)");
            params.put("now", MessageStore.now());
        }
        if (before != null && !before.isBlank()) {
            Cursor cursor = Cursor.parse(before);
            sql.append(" AND (c.last_message_at < :t OR (c.last_message_at = :t AND c.id < :key))");
            params.put("t", MessageStore.time(cursor.at()));
            params.put("key", parseUuid(cursor.key()));
        }
        sql.append(" ORDER BY c.last_message_at DESC, c.id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<Map<String, Object>> rows = jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> conversationView(rs)).list();
        return page(rows, limit, last -> new Cursor(instant(last.get("last_message_at")),
                last.get("id").toString()).format());
    }

    Optional<Map<String, Object>> conversation(UUID org, UUID id) {
        return jdbc.sql(CONVERSATION_COLUMNS + " WHERE c.org_id = ? AND c.id = ?").params(org, id)
                .query((rs, n) -> conversationView(rs)).optional();
    }

    private static Map<String, Object> conversationView(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getObject("id", UUID.class));
        m.put("integration_id", rs.getObject("integration_id", UUID.class));
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("wa_id", rs.getString("wa_id"));
        contact.put("name", rs.getString("name"));
        m.put("contact", contact);
        m.put("last_message_at", ts(rs, "last_message_at"));
        m.put("last_inbound_at", ts(rs, "last_inbound_at"));
        m.put("window_expires_at", ts(rs, "window_expires_at"));
        m.put("unread_count", rs.getInt("unread_count"));
        m.put("created_at", ts(rs, "created_at"));
        return m;
    }

    /** The newest message of a conversation (for the inbox list), as {type, direction, content} or empty. */
    Optional<Map<String, Object>> lastMessage(UUID org, UUID conversation) {
        return jdbc.sql("""
                        SELECT type, direction, status, content FROM messages
                        WHERE org_id = ? AND conversation_id = ? AND type <> 'reaction'
                        ORDER BY sort_at DESC, seq DESC LIMIT 1""")
                .params(org, conversation)
                .query((rs, n) -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put("type", rs.getString("type"));
                    m.put("direction", rs.getString("direction"));
                    m.put("status", rs.getString("status"));
                    m.put("content", readJson(rs.getString("content")));
                    return m;
                }).optional();
    }

    /** The agent has seen the conversation: unread count back to 0. Answers true when it changed. */
    boolean markRead(UUID org, UUID conversation) {
        return jdbc.sql("UPDATE conversations SET unread_count = 0 WHERE org_id = ? AND id = ? AND unread_count > 0")
                .params(org, conversation).update() > 0;
    }

    // ---------------------------------------------------------------- messages

    Page messages(UUID org, UUID conversation, int limit, String before) {
        StringBuilder sql = new StringBuilder(MESSAGE_COLUMNS)
                .append(" WHERE m.org_id = :org AND m.conversation_id = :conversation");
        Map<String, Object> params = new HashMap<>();
        params.put("org", org);
        params.put("conversation", conversation);
        if (before != null && !before.isBlank()) {
            Cursor cursor = Cursor.parse(before);
            long seq;
            try {
                seq = Long.parseLong(cursor.key());
            } catch (NumberFormatException e) {
                throw badCursor();
            }
            sql.append(" AND (m.sort_at < :t OR (m.sort_at = :t AND m.seq < :seq))");
            params.put("t", MessageStore.time(cursor.at()));
            params.put("seq", seq);
        }
        sql.append(" ORDER BY m.sort_at DESC, m.seq DESC LIMIT :limit");
        params.put("limit", limit + 1);
        List<Row> rows = jdbc.sql(sql.toString()).params(params).query((rs, n) -> row(rs)).list();
        boolean more = rows.size() > limit;
        List<Row> pageRows = more ? rows.subList(0, limit) : rows;
        Row last = more ? pageRows.get(limit - 1) : null;
        return new Page(views(pageRows, false),
                last == null ? null : new Cursor(last.sortAt, Long.toString(last.seq)).format());
    }

    Optional<Map<String, Object>> message(UUID org, UUID id) {
        Optional<Row> row = jdbc.sql(MESSAGE_COLUMNS + " WHERE m.org_id = ? AND m.id = ?").params(org, id)
                .query((rs, n) -> row(rs)).optional();
        return row.map(r -> {
            Map<String, Object> view = views(List.of(r), true).get(0);
            return view;
        });
    }

    /** One message row plus its view (the view is built after reactions are loaded). */
    private final class Row {
        final Map<String, Object> view;
        final Instant sortAt;
        final long seq;
        final UUID integration;
        final String wamid;

        Row(Map<String, Object> view, Instant sortAt, long seq, UUID integration, String wamid) {
            this.view = view;
            this.sortAt = sortAt;
            this.seq = seq;
            this.integration = integration;
            this.wamid = wamid;
        }
    }

    private Row row(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        UUID integration = rs.getObject("integration_id", UUID.class);
        String wamid = rs.getString("wamid");
        String direction = rs.getString("direction");
        m.put("id", rs.getObject("id", UUID.class));
        m.put("conversation_id", rs.getObject("conversation_id", UUID.class));
        m.put("integration_id", integration);
        m.put("wamid", wamid);
        m.put("direction", direction);
        m.put("type", rs.getString("type"));
        m.put("status", rs.getString("status"));
        m.put("timestamp", ts(rs, "meta_timestamp"));
        m.put("created_at", ts(rs, "created_at"));
        m.put("sent_at", ts(rs, "sent_at"));
        m.put("delivered_at", ts(rs, "delivered_at"));
        m.put("read_at", ts(rs, "read_at"));
        m.put("failed_at", ts(rs, "failed_at"));
        Object code = rs.getObject("error_code");
        String title = rs.getString("error_title");
        if (code != null || title != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", code == null ? null : ((Number) code).intValue());
            error.put("title", title);
            error.put("message", rs.getString("error_message"));
            error.put("details", rs.getString("error_details"));
            m.put("error", error);
        } else {
            m.put("error", null);
        }
        m.put("content", readJson(rs.getString("content")));
        String contextWamid = rs.getString("context_wamid");
        Boolean forwarded = (Boolean) rs.getObject("forwarded");
        Boolean frequently = (Boolean) rs.getObject("frequently_forwarded");
        if (contextWamid != null || forwarded != null || frequently != null) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("wamid", contextWamid);
            context.put("message_id", rs.getObject("context_message_id", UUID.class));
            context.put("from", rs.getString("context_from"));
            context.put("forwarded", Boolean.TRUE.equals(forwarded));
            context.put("frequently_forwarded", Boolean.TRUE.equals(frequently));
            m.put("context", context);
        } else {
            m.put("context", null);
        }
        m.put("referral", readJson(rs.getString("referral")));
        String target = rs.getString("reaction_target_wamid");
        if ("reaction".equals(rs.getString("type"))) {
            Map<String, Object> reaction = new LinkedHashMap<>();
            reaction.put("wamid", target);
            reaction.put("message_id", rs.getObject("reaction_target_id", UUID.class));
            String emoji = rs.getString("reaction_emoji");
            reaction.put("emoji", emoji == null || emoji.isEmpty() ? null : emoji);
            reaction.put("removed", emoji == null || emoji.isEmpty());
            m.put("reaction", reaction);
        }
        return new Row(m, instant(rs.getObject("sort_at", OffsetDateTime.class)), rs.getLong("seq"), integration,
                wamid);
    }

    /** Adds each message's current reactions (and, for one message, its status history and raw JSON). */
    private List<Map<String, Object>> views(List<Row> rows, boolean detail) {
        Map<UUID, List<String>> wamidsByIntegration = new HashMap<>();
        for (Row r : rows) {
            if (r.wamid != null) {
                wamidsByIntegration.computeIfAbsent(r.integration, k -> new ArrayList<>()).add(r.wamid);
            }
        }
        // reactions by target wamid: the latest reaction of each side wins; an empty emoji removes it
        Map<String, Map<String, Map<String, Object>>> reactions = new HashMap<>();
        wamidsByIntegration.forEach((integration, wamids) -> jdbc.sql("""
                        SELECT id, direction, reaction_target_wamid, reaction_emoji, meta_timestamp, sort_at
                        FROM messages WHERE integration_id = :integration AND type = 'reaction'
                          AND reaction_target_wamid IN (:wamids)
                        ORDER BY sort_at, seq""")
                .param("integration", integration).param("wamids", wamids)
                .query(rs -> {
                    String target = rs.getString("reaction_target_wamid");
                    String from = "inbound".equals(rs.getString("direction")) ? "contact" : "business";
                    String emoji = rs.getString("reaction_emoji");
                    Map<String, Map<String, Object>> bySide = reactions.computeIfAbsent(target,
                            k -> new LinkedHashMap<>());
                    if (emoji == null || emoji.isEmpty()) {
                        bySide.remove(from);
                    } else {
                        Map<String, Object> reaction = new LinkedHashMap<>();
                        reaction.put("emoji", emoji);
                        reaction.put("from", from);
                        reaction.put("at", ts(rs, "sort_at"));
                        reaction.put("message_id", rs.getObject("id", UUID.class));
                        bySide.put(from, reaction);
                    }
                }));
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Map<String, Object> view = r.view;
            view.put("reactions", r.wamid == null ? List.of()
                    : List.copyOf(reactions.getOrDefault(r.wamid, Map.of()).values()));
            if (detail) {
                view.put("statuses", r.wamid == null ? List.of() : statuses(r.integration, r.wamid));
                view.put("raw", readJson(jdbc.sql("SELECT raw FROM messages WHERE id = ?").params(view.get("id"))
                        .query((rs, n) -> rs.getString(1)).list().stream().filter(java.util.Objects::nonNull)
                        .findFirst().orElse(null)));
            }
            out.add(view);
        }
        return out;
    }

    private List<Map<String, Object>> statuses(UUID integration, String wamid) {
        return jdbc.sql("""
                        SELECT status, meta_timestamp, error_code, error_title, error_message, error_details
                        FROM message_statuses WHERE integration_id = ? AND wamid = ? ORDER BY meta_timestamp, id""")
                .params(integration, wamid)
                .query((rs, n) -> {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("status", rs.getString("status"));
                    s.put("timestamp", ts(rs, "meta_timestamp"));
                    Object code = rs.getObject("error_code");
                    if (code != null || rs.getString("error_title") != null) {
                        Map<String, Object> error = new LinkedHashMap<>();
                        error.put("code", code == null ? null : ((Number) code).intValue());
                        error.put("title", rs.getString("error_title"));
                        error.put("message", rs.getString("error_message"));
                        error.put("details", rs.getString("error_details"));
                        s.put("error", error);
                    }
                    return s;
                }).list();
    }

    // ---------------------------------------------------------------- helpers

    private static Page page(List<Map<String, Object>> rows, int limit,
                             java.util.function.Function<Map<String, Object>, String> cursorOf) {
        boolean more = rows.size() > limit;
        List<Map<String, Object>> data = more ? rows.subList(0, limit) : rows;
        return new Page(List.copyOf(data), more ? cursorOf.apply(data.get(limit - 1)) : null);
    }

    private JsonNode readJson(String text) {
        return text == null ? null : json.readTree(text);
    }

    private static Instant ts(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a time: " + o);
    }

    private static UUID parseUuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw badCursor();
        }
    }

    static ApiException badCursor() {
        return ApiException.badRequest("invalid_parameter", "before is not a cursor from a previous page");
    }

    /** An opaque paging cursor: a time (microseconds) and a tie-breaking key. */
    record Cursor(Instant at, String key) {
        String format() {
            long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
            return micros + "_" + key;
        }

        static Cursor parse(String s) {
            int i = s.indexOf('_');
            if (i <= 0) {
                throw badCursor();
            }
            try {
                long micros = Long.parseLong(s.substring(0, i));
                return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L), s.substring(i + 1));
            } catch (RuntimeException e) {
                throw badCursor();
            }
        }
    }
}
