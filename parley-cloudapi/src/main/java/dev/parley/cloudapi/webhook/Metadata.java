package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * {@code value.metadata} of a {@code messages} change: which business phone number the change belongs to.
 * Parley routes each change by {@link #phoneNumberId()}.
 */
public record Metadata(String displayPhoneNumber, String phoneNumberId, JsonNode raw) {

    public Metadata {
        raw = Json.raw(raw);
    }

    static Metadata from(JsonNode node) {
        return new Metadata(Json.text(node, "display_phone_number"), Json.text(node, "phone_number_id"), node);
    }
}
