package dev.parley.cloudapi.webhook;

import java.time.Instant;

/**
 * One change with the entry it came in, as flattened by {@link WebhookPayload#changeEvents()}.
 *
 * @param wabaId {@code entry[].id}
 * @param time   {@code entry[].time}, or {@code null}
 * @param change the change
 */
public record ChangeEvent(String wabaId, Instant time, WebhookChange change) {

    /** Shortcut for {@code change().field()}. */
    public String field() {
        return change.field();
    }

    /** Shortcut for {@code change().value()}. */
    public ChangeValue value() {
        return change.value();
    }
}
