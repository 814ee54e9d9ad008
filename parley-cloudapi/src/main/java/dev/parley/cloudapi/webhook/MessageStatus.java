package dev.parley.cloudapi.webhook;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One element of {@code value.statuses[]}: a delivery update for a message the business sent.
 * Deduplicate retried webhooks by {@code (id, rawStatus)}.
 *
 * @param id                    wamid of the outbound message
 * @param status                the typed status ({@link StatusType#UNKNOWN} for new values)
 * @param rawStatus             {@code status} as received
 * @param timestamp             {@code timestamp} as an instant, or {@code null}
 * @param rawTimestamp          {@code timestamp} as received
 * @param recipientId           the user's WhatsApp ID
 * @param recipientType         {@code recipient_type} (e.g. {@code "individual"}), or {@code null}
 * @param bizOpaqueCallbackData the value the business attached when sending, or {@code null}
 * @param conversation          {@code conversation}, or {@code null} (omitted from v24.0 outside free entry points)
 * @param pricing               {@code pricing}, or {@code null}
 * @param errors                {@code errors[]}, set on {@code failed}
 * @param raw                   the status object as received
 */
public record MessageStatus(String id, StatusType status, String rawStatus, Instant timestamp, String rawTimestamp,
                            String recipientId, String recipientType, String bizOpaqueCallbackData,
                            Conversation conversation, Pricing pricing, List<WebhookError> errors, JsonNode raw) {

    public MessageStatus {
        if (status == null) {
            status = StatusType.fromWire(rawStatus);
        }
        errors = Json.copy(errors);
        raw = Json.raw(raw);
    }

    static MessageStatus from(JsonNode node) {
        JsonNode conversation = Json.object(node, "conversation");
        JsonNode pricing = Json.object(node, "pricing");
        String rawStatus = Json.text(node, "status");
        return new MessageStatus(Json.text(node, "id"), StatusType.fromWire(rawStatus), rawStatus,
                Json.epochSeconds(node, "timestamp"), Json.text(node, "timestamp"), Json.text(node, "recipient_id"),
                Json.text(node, "recipient_type"), Json.text(node, "biz_opaque_callback_data"),
                conversation == null ? null : Conversation.from(conversation),
                pricing == null ? null : Pricing.from(pricing),
                Json.list(node, "errors", WebhookError::from), node);
    }

    /**
     * {@code statuses[].conversation}.
     *
     * @param expirationTimestamp {@code expiration_timestamp} (sent with {@code sent} only), or {@code null}
     * @param originType          {@code origin.type}, e.g. {@code "service"}, {@code "business_initiated"}
     */
    public record Conversation(String id, Instant expirationTimestamp, String originType, JsonNode raw) {
        public Conversation {
            raw = Json.raw(raw);
        }

        static Conversation from(JsonNode node) {
            return new Conversation(Json.text(node, "id"), Json.epochSeconds(node, "expiration_timestamp"),
                    Json.text(Json.object(node, "origin"), "type"), node);
        }
    }

    /**
     * {@code statuses[].pricing}. Values are open sets and kept as strings.
     *
     * @param billable     {@code billable} (being deprecated by Meta), or {@code null}
     * @param pricingModel {@code CBP} before 2025-07-01, {@code PMP} after
     * @param type         e.g. {@code regular}, {@code free_customer_service}, {@code free_entry_point}
     * @param category     e.g. {@code marketing}, {@code utility}, {@code service}, {@code authentication}
     */
    public record Pricing(Boolean billable, String pricingModel, String type, String category, JsonNode raw) {
        public Pricing {
            raw = Json.raw(raw);
        }

        static Pricing from(JsonNode node) {
            return new Pricing(Json.bool(node, "billable"), Json.text(node, "pricing_model"),
                    Json.text(node, "type"), Json.text(node, "category"), node);
        }
    }
}
