package dev.parley.cloudapi.graph;

import tools.jackson.databind.JsonNode;

/**
 * {@code GET /{media_id}}: where to download the media (the URL lives about 5 minutes and needs the access token).
 *
 * @param sha256   as Meta sends it (hex here; base64 in webhooks)
 * @param fileSize bytes, or null when Meta did not say
 */
public record MediaInfo(String id, String url, String mimeType, String sha256, Long fileSize, JsonNode raw) {

    static MediaInfo from(JsonNode n) {
        return new MediaInfo(Nodes.text(n, "id"), Nodes.text(n, "url"), Nodes.text(n, "mime_type"),
                Nodes.text(n, "sha256"), Nodes.longValue(n, "file_size"), n);
    }
}
