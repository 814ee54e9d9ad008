package dev.parley.cloudapi.webhook;

/**
 * One status update with its routing information, as flattened by {@link WebhookPayload#statusEvents()}.
 *
 * @param wabaId             {@code entry[].id}
 * @param phoneNumberId      {@code metadata.phone_number_id} of the business number that sent the message
 * @param displayPhoneNumber {@code metadata.display_phone_number}
 * @param status             the status
 */
public record StatusEvent(String wabaId, String phoneNumberId, String displayPhoneNumber, MessageStatus status) {
}
