package dev.parley.cloudapi.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * One element of {@code value.messages[]}: a message a WhatsApp user sent to the business.
 *
 * @param from         sender's WhatsApp ID; may be {@code null} in newer system notices
 * @param id           the message's wamid, the natural key for deduplicating retried webhooks
 * @param timestamp    {@code timestamp} as an instant, {@code null} if absent or not Unix seconds
 * @param rawTimestamp {@code timestamp} as received (Meta sends a string of Unix seconds)
 * @param type         the wire {@code type}, kept even when unknown
 * @param context      {@code context} (reply, forward, referred product), or {@code null}
 * @param referral     {@code referral} (click-to-WhatsApp ad), or {@code null}
 * @param identity     {@code identity} (sent with identity-change notices), or {@code null}
 * @param errors       {@code errors[]} (e.g. 131051 on unsupported messages), possibly empty
 * @param content      the type-specific part, never {@code null}
 * @param raw          the whole message object as received
 */
public record InboundMessage(String from, String id, Instant timestamp, String rawTimestamp, String type,
                             Context context, Referral referral, Identity identity, List<WebhookError> errors,
                             MessageContent content, JsonNode raw) {

    public InboundMessage {
        errors = Json.copy(errors);
        if (content == null) {
            content = new MessageContent.Unknown(type, null);
        }
        raw = Json.raw(raw);
    }

    /** The kind of message; {@link MessageType#UNKNOWN} for types this library does not know. */
    public MessageType kind() {
        return content.kind();
    }

    /** The content if it is of the given variant, e.g. {@code content(MessageContent.Text.class)}. */
    public <T extends MessageContent> Optional<T> content(Class<T> variant) {
        return variant.isInstance(content) ? Optional.of(variant.cast(content)) : Optional.empty();
    }
}
