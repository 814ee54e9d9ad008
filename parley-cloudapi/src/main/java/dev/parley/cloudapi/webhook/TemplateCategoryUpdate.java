package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * The value of a {@code template_category_update} change: Meta re-categorised a template (or will).
 *
 * @param templateId       {@code message_template_id} as decimal text
 * @param previousCategory {@code previous_category}, or {@code null}
 * @param newCategory      {@code new_category}
 * @param correctCategory  {@code correct_category} (announced future category), or {@code null}
 */
public record TemplateCategoryUpdate(String templateId, String templateName, String language,
                                     String previousCategory, String newCategory, String correctCategory,
                                     JsonNode raw) implements ChangeValue {

    public TemplateCategoryUpdate {
        raw = Json.raw(raw);
    }

    @Override
    public String field() {
        return "template_category_update";
    }

    static TemplateCategoryUpdate from(JsonNode node) {
        return new TemplateCategoryUpdate(Json.text(node, "message_template_id"),
                Json.text(node, "message_template_name"), Json.text(node, "message_template_language"),
                Json.text(node, "previous_category"), Json.text(node, "new_category"),
                Json.text(node, "correct_category"), node);
    }
}
