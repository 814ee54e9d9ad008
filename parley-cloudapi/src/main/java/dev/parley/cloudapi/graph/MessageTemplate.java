package dev.parley.cloudapi.graph;

import tools.jackson.databind.JsonNode;

/**
 * A message template as {@code GET /{waba_id}/message_templates} returns it.
 *
 * @param status          APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ...
 * @param category        MARKETING, UTILITY or AUTHENTICATION
 * @param parameterFormat NAMED or POSITIONAL (null when not sent)
 * @param components      the raw {@code components} array (HEADER, BODY, FOOTER, BUTTONS), or null
 */
public record MessageTemplate(String id, String name, String language, String status, String category,
                              String subCategory, String parameterFormat, JsonNode components, JsonNode raw) {

    static MessageTemplate from(JsonNode n) {
        JsonNode components = n.get("components");
        return new MessageTemplate(Nodes.text(n, "id"), Nodes.text(n, "name"), Nodes.text(n, "language"),
                Nodes.text(n, "status"), Nodes.text(n, "category"), Nodes.text(n, "sub_category"),
                Nodes.text(n, "parameter_format"), components != null && components.isArray() ? components : null, n);
    }
}
