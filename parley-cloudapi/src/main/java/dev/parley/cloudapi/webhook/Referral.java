package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * {@code messages[].referral}: present when the user came from a click-to-WhatsApp ad or post.
 * Fields Meta adds later (e.g. {@code welcome_message}) stay reachable through {@link #raw()}.
 */
public record Referral(String sourceUrl, String sourceId, String sourceType, String headline, String body,
                       String mediaType, String imageUrl, String videoUrl, String thumbnailUrl, String ctwaClid,
                       JsonNode raw) {

    public Referral {
        raw = Json.raw(raw);
    }

    static Referral from(JsonNode node) {
        return new Referral(Json.text(node, "source_url"), Json.text(node, "source_id"),
                Json.text(node, "source_type"), Json.text(node, "headline"), Json.text(node, "body"),
                Json.text(node, "media_type"), Json.text(node, "image_url"), Json.text(node, "video_url"),
                Json.text(node, "thumbnail_url"), Json.text(node, "ctwa_clid"), node);
    }
}
