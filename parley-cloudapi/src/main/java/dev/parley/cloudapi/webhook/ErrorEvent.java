package dev.parley.cloudapi.webhook;

/**
 * One value-level error ({@code value.errors[]} of a {@code messages} change) with its routing information,
 * as flattened by {@link WebhookPayload#errorEvents()}.
 */
public record ErrorEvent(String wabaId, String phoneNumberId, String displayPhoneNumber, WebhookError error) {
}
