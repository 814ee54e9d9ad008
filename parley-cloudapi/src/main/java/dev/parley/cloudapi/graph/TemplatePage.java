package dev.parley.cloudapi.graph;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One page of templates.
 *
 * @param after the cursor of the next page (pass it to {@code listTemplates}), or null on the last page
 */
public record TemplatePage(List<MessageTemplate> templates, String after, JsonNode raw) {

    public TemplatePage {
        templates = List.copyOf(templates);
    }

    public boolean hasNext() {
        return after != null;
    }
}
