package dev.parley.cloudapi.webhook;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * {@code messages[].identity}: sent with identity-change notices when the business enabled security
 * notifications; a changed {@link #hash()} means the user's identity key changed.
 */
public record Identity(Boolean acknowledged, Instant createdTimestamp, String hash, JsonNode raw) {

    public Identity {
        raw = Json.raw(raw);
    }

    static Identity from(JsonNode node) {
        return new Identity(Json.bool(node, "acknowledged"), Json.epochSeconds(node, "created_timestamp"),
                Json.text(node, "hash"), node);
    }
}
