package dev.parley.cloudapi.graph;

import tools.jackson.databind.JsonNode;

/** The answer to a template creation: {@code {"id","status","category"}} (status is usually PENDING). */
public record TemplateCreated(String id, String status, String category, JsonNode raw) {

    static TemplateCreated from(JsonNode n) {
        return new TemplateCreated(Nodes.text(n, "id"), Nodes.text(n, "status"), Nodes.text(n, "category"), n);
    }
}
