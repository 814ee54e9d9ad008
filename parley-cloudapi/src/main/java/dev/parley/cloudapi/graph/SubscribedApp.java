package dev.parley.cloudapi.graph;

import tools.jackson.databind.JsonNode;

/** An app subscribed to a WABA's webhooks ({@code whatsapp_business_api_data} of {@code GET /subscribed_apps}). */
public record SubscribedApp(String id, String name, String link, JsonNode raw) {

    static SubscribedApp from(JsonNode n) {
        JsonNode d = n.has("whatsapp_business_api_data") ? n.get("whatsapp_business_api_data") : n;
        return new SubscribedApp(Nodes.text(d, "id"), Nodes.text(d, "name"), Nodes.text(d, "link"), n);
    }
}
