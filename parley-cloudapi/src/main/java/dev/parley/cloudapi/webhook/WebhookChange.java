package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * One element of {@code entry[].changes[]}.
 *
 * @param field the webhook field, e.g. {@code "messages"}; {@code null} if absent
 * @param value the typed value, never {@code null} ({@link UnknownChangeValue} for unmodelled fields)
 * @param raw   the change object as received
 */
public record WebhookChange(String field, ChangeValue value, JsonNode raw) {

    public WebhookChange {
        if (value == null) {
            value = new UnknownChangeValue(field, null);
        }
        raw = Json.raw(raw);
    }

    /** A summary without the raw JSON. */
    @Override
    public String toString() {
        return "WebhookChange[field=" + field + ", value=" + value + "]";
    }
}
