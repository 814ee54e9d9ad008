package dev.parley.cloudapi.webhook;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One element of the webhook's {@code entry[]}.
 *
 * @param id      the WhatsApp Business Account (WABA) ID
 * @param time    {@code time} (Unix seconds; sent with non-message fields), or {@code null}
 * @param changes {@code changes[]}, in order
 * @param raw     the entry as received
 */
public record WebhookEntry(String id, Instant time, List<WebhookChange> changes, JsonNode raw) {

    public WebhookEntry {
        changes = Json.copy(changes);
        raw = Json.raw(raw);
    }

    /** A summary without the raw JSON. */
    @Override
    public String toString() {
        return "WebhookEntry[id=" + id + ", time=" + time + ", changes=" + changes + "]";
    }
}
