package dev.parley.cloudapi.webhook;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The value of a {@code messages} change: inbound messages, statuses of outbound messages and errors for one
 * business phone number. Any of the lists may be empty; a batched change may hold several of each.
 *
 * @param messagingProduct {@code messaging_product}, normally {@code "whatsapp"}
 * @param metadata         {@code metadata}, or {@code null} if absent
 * @param contacts         {@code contacts[]}: profiles of the users who sent {@link #messages()}
 * @param errors           value-level {@code errors[]}
 */
public record MessagesValue(String messagingProduct, Metadata metadata, List<Contact> contacts,
                            List<InboundMessage> messages, List<MessageStatus> statuses, List<WebhookError> errors,
                            JsonNode raw) implements ChangeValue {

    public MessagesValue {
        contacts = Json.copy(contacts);
        messages = Json.copy(messages);
        statuses = Json.copy(statuses);
        errors = Json.copy(errors);
        raw = Json.raw(raw);
    }

    @Override
    public String field() {
        return "messages";
    }

    /** {@code metadata.phone_number_id}, or {@code null}. */
    public String phoneNumberId() {
        return metadata == null ? null : metadata.phoneNumberId();
    }

    /** {@code metadata.display_phone_number}, or {@code null}. */
    public String displayPhoneNumber() {
        return metadata == null ? null : metadata.displayPhoneNumber();
    }

    /** The contact whose {@code wa_id} equals {@code waId}, or {@code null}. */
    public Contact contactFor(String waId) {
        if (waId == null) {
            return null;
        }
        for (Contact contact : contacts) {
            if (waId.equals(contact.waId())) {
                return contact;
            }
        }
        return null;
    }

    /** A summary without the raw JSON of the value itself (messages and statuses still show theirs). */
    @Override
    public String toString() {
        return "MessagesValue[messagingProduct=" + messagingProduct + ", metadata=" + metadata + ", contacts="
                + contacts + ", messages=" + messages + ", statuses=" + statuses + ", errors=" + errors + "]";
    }
}
