package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * An error as it appears inside a webhook ({@code value.errors[]}, {@code messages[].errors[]},
 * {@code statuses[].errors[]}): {@code {code, title, message, error_data{details}, href}}.
 *
 * @param code    Meta's error code, e.g. 131047; {@code null} if absent or not an integer
 * @param details {@code error_data.details}, or the top-level {@code details} used by Meta's 2022 shape
 * @param raw     the error object as received
 */
public record WebhookError(Integer code, String title, String message, String details, String href, JsonNode raw) {

    public WebhookError {
        raw = Json.raw(raw);
    }

    static WebhookError from(JsonNode node) {
        String details = Json.text(Json.object(node, "error_data"), "details");
        if (details == null) {
            details = Json.text(node, "details");
        }
        return new WebhookError(Json.intValue(node, "code"), Json.text(node, "title"), Json.text(node, "message"),
                details, Json.text(node, "href"), node);
    }
}
