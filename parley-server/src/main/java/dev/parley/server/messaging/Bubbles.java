package dev.parley.server.messaging;

import dev.parley.server.web.Ui;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns stored messages (the API's views) into what the thread shows: one bubble per message with its type's
 * rendering, the quote of the message it replies to, the reactions on it, and the delivery tick. Every value is
 * plain text for the template to escape; nothing here builds HTML.
 */
final class Bubbles {

    private Bubbles() {
    }

    record Contact(String name, List<String> phones, List<String> emails) {
    }

    record Bubble(UUID id, String direction, String type, String kind, Instant at, String text, String detail,
                  String mediaId, String mimeType, String filename, Double latitude, Double longitude,
                  List<Contact> contacts, List<String> choices, Quote quote, List<String> reactions, String tick,
                  String tickClass, String tickTitle, String error) {

        public boolean outbound() {
            return "outbound".equals(direction);
        }

        /** An OpenStreetMap link built from the two numbers only (never a URL from the message). */
        public String mapLink() {
            return latitude == null || longitude == null ? null : String.format(Locale.ROOT,
                    "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=16/%.6f/%.6f", latitude, longitude,
                    latitude, longitude);
        }
    }

    record Quote(String who, String text) {
    }

    /** Oldest first; reactions are shown on the message they react to, not as bubbles of their own. */
    static List<Bubble> of(List<Map<String, Object>> newestFirst) {
        List<Map<String, Object>> messages = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(messages);
        Map<Object, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> m : messages) {
            byId.put(m.get("id"), m);
        }
        List<Bubble> out = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            if ("reaction".equals(m.get("type"))) {
                Object target = m.get("reaction") instanceof Map<?, ?> r ? r.get("message_id") : null;
                if (target != null && byId.containsKey(target)) {
                    continue; // shown on its target
                }
            }
            out.add(bubble(m, byId));
        }
        return out;
    }

    /** A one-line summary for the conversation list. */
    static String summary(String type, JsonNode content) {
        Bubble b = bubble(type, "inbound", content);
        String s = switch (b.kind()) {
            case "text", "system", "choice", "template", "interactive" -> b.text();
            case "media" -> "📎 " + type + (b.text() != null && !b.text().isBlank() ? ": " + b.text() : "");
            case "location" -> "📍 " + (b.text() == null || b.text().isBlank() ? "location" : b.text());
            case "contacts" -> "👤 contact card";
            case "reaction" -> "reacted " + b.text();
            case "unsupported" -> "unsupported message";
            default -> type;
        };
        return s == null ? type : s;
    }

    private static Bubble bubble(Map<String, Object> m, Map<Object, Map<String, Object>> byId) {
        String type = (String) m.get("type");
        String direction = (String) m.get("direction");
        JsonNode content = m.get("content") instanceof JsonNode n ? n : null;
        Bubble base = bubble(type, direction, content);
        Quote quote = null;
        if (m.get("context") instanceof Map<?, ?> ctx && ctx.get("wamid") != null) {
            Map<String, Object> quoted = ctx.get("message_id") == null ? null : byId.get(ctx.get("message_id"));
            if (quoted != null) {
                JsonNode qc = quoted.get("content") instanceof JsonNode n ? n : null;
                quote = new Quote("outbound".equals(quoted.get("direction")) ? "You" : "Customer",
                        summary((String) quoted.get("type"), qc));
            } else {
                quote = new Quote("", "a message not shown here");
            }
        }
        List<String> reactions = new ArrayList<>();
        if (m.get("reactions") instanceof List<?> list) {
            for (Object r : list) {
                if (r instanceof Map<?, ?> rm && rm.get("emoji") != null) {
                    reactions.add(rm.get("emoji").toString());
                }
            }
        }
        String status = (String) m.get("status");
        String tick = null;
        String tickClass = null;
        String tickTitle = null;
        String error = null;
        if (m.get("error") instanceof Map<?, ?> e) {
            error = join(e.get("code") == null ? null : "Error " + e.get("code"), (String) e.get("title"),
                    (String) e.get("message"), (String) e.get("details"));
        }
        if ("outbound".equals(direction) && status != null) {
            switch (status) {
                case "queued" -> { tick = "🕓"; tickClass = "queued"; tickTitle = "queued"; }
                case "sent" -> { tick = "✓"; tickClass = "sent"; tickTitle = "sent " + time(m.get("sent_at")); }
                case "delivered" -> { tick = "✓✓"; tickClass = "delivered";
                    tickTitle = "delivered " + time(m.get("delivered_at")); }
                case "read" -> { tick = "✓✓"; tickClass = "read"; tickTitle = "read " + time(m.get("read_at")); }
                case "failed" -> { tick = "⚠"; tickClass = "failed";
                    tickTitle = "failed: " + (error == null ? "no reason given" : error); }
                default -> { tick = status; tickClass = status; tickTitle = status; }
            }
        }
        Instant at = Ui.instant(m.get("timestamp") != null ? m.get("timestamp") : m.get("created_at"));
        return new Bubble((UUID) m.get("id"), direction, type, base.kind(), at, base.text(), base.detail(),
                base.mediaId(), base.mimeType(), base.filename(), base.latitude(), base.longitude(), base.contacts(),
                base.choices(), quote, reactions, tick, tickClass, tickTitle, error);
    }

    private static String time(Object t) {
        Instant i = Ui.instant(t);
        return i == null ? "" : "at " + i;
    }

    /** The type-specific part: kind, text, detail, media, location, contacts, choices. */
    static Bubble bubble(String type, String direction, JsonNode c) {
        JsonNode content = c == null ? tools.jackson.databind.node.MissingNode.getInstance() : c;
        String t = type == null ? "unknown" : type;
        switch (t) {
            case "text":
                return simple(t, direction, "text", str(content, "body"), null);
            case "image", "video", "audio", "document", "sticker": {
                String caption = str(content, "caption");
                String ref = str(content, "id");
                if (ref == null) {
                    ref = str(content, "link");
                }
                return new Bubble(null, direction, t, "media", null, caption, null, ref, str(content, "mime_type"),
                        str(content, "filename"), null, null, List.of(), List.of(), null, List.of(), null, null,
                        null, null);
            }
            case "location": {
                Double lat = content.path("latitude").isNumber() ? content.path("latitude").asDouble() : null;
                Double lng = content.path("longitude").isNumber() ? content.path("longitude").asDouble() : null;
                return new Bubble(null, direction, t, "location", null, str(content, "name"), str(content, "address"),
                        null, null, null, lat, lng, List.of(), List.of(), null, List.of(), null, null, null, null);
            }
            case "contacts": {
                List<Contact> cards = new ArrayList<>();
                JsonNode list = content.isArray() ? content : content.path("contacts");
                for (JsonNode card : list) {
                    List<String> phones = new ArrayList<>();
                    card.path("phones").forEach(p -> phones.add(p.path("phone").asString(p.path("wa_id").asString(""))));
                    List<String> emails = new ArrayList<>();
                    card.path("emails").forEach(e -> emails.add(e.path("email").asString("")));
                    cards.add(new Contact(card.path("name").path("formatted_name").asString(
                            card.path("name").path("first_name").asString("(no name)")), phones, emails));
                }
                return new Bubble(null, direction, t, "contacts", null, null, null, null, null, null, null, null,
                        cards, List.of(), null, List.of(), null, null, null, null);
            }
            case "interactive": {
                String sub = str(content, "type");
                if ("button_reply".equals(sub) || "list_reply".equals(sub)) {
                    JsonNode r = content.path(sub);
                    return simple(t, direction, "choice", str(r, "title"),
                            ("button_reply".equals(sub) ? "button reply" : "list reply")
                                    + (str(r, "description") != null ? " · " + str(r, "description") : ""));
                }
                if ("nfm_reply".equals(sub)) {
                    return simple(t, direction, "choice", str(content.path("nfm_reply"), "body"), "flow reply");
                }
                // outbound interactive: the body and its buttons / list rows
                List<String> choices = new ArrayList<>();
                content.path("action").path("buttons").forEach(b -> choices.add(b.path("reply").path("title").asString("")));
                content.path("action").path("sections").forEach(s -> s.path("rows")
                        .forEach(r -> choices.add(r.path("title").asString(""))));
                String button = str(content.path("action"), "button");
                return new Bubble(null, direction, t, "interactive", null, str(content.path("body"), "text"),
                        button, null, null, null, null, null, List.of(), choices, null, List.of(), null, null, null,
                        null);
            }
            case "button":
                return simple(t, direction, "choice", str(content, "text"), "quick reply");
            case "reaction": {
                String emoji = str(content, "emoji");
                return simple(t, direction, "reaction", emoji == null || emoji.isEmpty() ? "(removed)" : emoji,
                        "reaction to a message not shown here");
            }
            case "template": {
                String lang = content.path("language").path("code").asString("");
                List<String> params = new ArrayList<>();
                content.path("components").forEach(comp -> comp.path("parameters")
                        .forEach(p -> params.add(p.path("text").asString(p.path("type").asString("")))));
                return simple(t, direction, "template", "Template " + str(content, "name") + " (" + lang + ")",
                        params.isEmpty() ? null : "with " + String.join(", ", params));
            }
            case "order":
                return simple(t, direction, "text", "🛒 Order of " + content.path("product_items").size()
                        + " item(s)", str(content, "text"));
            case "system":
                return simple(t, direction, "system", str(content, "body"), str(content, "type"));
            case "unsupported":
                return simple(t, direction, "unsupported", "Unsupported message",
                        join(str(content, "original_type"), str(content, "unsupported_type"),
                                content.path("errors").path(0).path("title").asString(null)));
            default:
                return simple(t, direction, "unsupported", "Message of type " + t + " (not shown here)", null);
        }
    }

    private static Bubble simple(String type, String direction, String kind, String text, String detail) {
        return new Bubble(null, direction, type, kind, null, text, detail, null, null, null, null, null, List.of(),
                List.of(), null, List.of(), null, null, null, null);
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asString(v.toString());
    }

    private static String join(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                if (!sb.isEmpty()) {
                    sb.append(" · ");
                }
                sb.append(p);
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
