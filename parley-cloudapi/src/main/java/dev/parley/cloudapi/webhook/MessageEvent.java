package dev.parley.cloudapi.webhook;

/**
 * One inbound message together with what is needed to route and display it, as flattened by
 * {@link WebhookPayload#messageEvents()}.
 *
 * @param wabaId             {@code entry[].id}
 * @param phoneNumberId      {@code metadata.phone_number_id} of the business number that received it
 * @param displayPhoneNumber {@code metadata.display_phone_number}
 * @param contact            the contact whose {@code wa_id} equals the message's {@code from}, or {@code null}
 * @param message            the message
 */
public record MessageEvent(String wabaId, String phoneNumberId, String displayPhoneNumber, Contact contact,
                           InboundMessage message) {

    /** The sender's profile name, or {@code null}. */
    public String profileName() {
        return contact == null ? null : contact.profileName();
    }
}
