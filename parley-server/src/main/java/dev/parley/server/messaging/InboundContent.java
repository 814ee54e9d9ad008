package dev.parley.server.messaging;

import dev.parley.cloudapi.webhook.InboundMessage;
import dev.parley.cloudapi.webhook.MessageContent;
import dev.parley.cloudapi.webhook.MessageType;
import dev.parley.cloudapi.webhook.WebhookError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Parley stores as an inbound message's {@code type} and {@code content}: for the types Meta documents,
 * the object Meta sent under the type's name (so new fields are kept); for types Parley does not know, type
 * {@code unsupported} with the original type and errors (the whole message is kept as raw JSON anyway).
 */
final class InboundContent {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private InboundContent() {
    }

    static String type(InboundMessage m) {
        MessageType kind = m.kind();
        return kind == MessageType.UNKNOWN || kind == MessageType.UNSUPPORTED ? "unsupported" : kind.wireName();
    }

    static JsonNode content(InboundMessage m) {
        MessageContent c = m.content();
        if (c instanceof MessageContent.Unsupported || c instanceof MessageContent.Unknown) {
            ObjectNode o = NODES.objectNode();
            o.put("original_type", m.type());
            if (c instanceof MessageContent.Unsupported u && u.unsupportedType() != null) {
                o.put("unsupported_type", u.unsupportedType());
            }
            if (!m.errors().isEmpty()) {
                ArrayNode errors = o.putArray("errors");
                for (WebhookError e : m.errors()) {
                    ObjectNode eo = errors.addObject();
                    eo.put("code", e.code());
                    eo.put("title", e.title());
                    eo.put("message", e.message());
                    eo.put("details", e.details());
                }
            }
            JsonNode typed = m.raw().get(m.type() == null ? "" : m.type());
            if (typed != null && !typed.isNull() && !typed.isMissingNode()) {
                o.set("original", typed);
            }
            return o;
        }
        JsonNode raw = c.raw();
        if (raw == null || raw.isMissingNode() || raw.isNull()) {
            return null;
        }
        if (m.identity() != null && raw.isObject()) {
            ObjectNode copy = ((ObjectNode) raw).deepCopy();
            copy.set("identity", m.identity().raw());
            return copy;
        }
        return raw;
    }

    /** Meta's first message-level error (e.g. 131051 on unsupported messages), or null. */
    static WebhookError error(InboundMessage m) {
        return m.errors().isEmpty() ? null : m.errors().get(0);
    }
}
