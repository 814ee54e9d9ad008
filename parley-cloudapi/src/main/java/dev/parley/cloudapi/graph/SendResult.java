package dev.parley.cloudapi.graph;

import tools.jackson.databind.JsonNode;

/**
 * Meta accepted a message: {@code {"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],
 * "messages":[{"id","message_status"?}]}}. Accepted is not delivered: delivery arrives later as status webhooks.
 *
 * @param messageId     the wamid of the message
 * @param input         the recipient as sent
 * @param waId          the recipient's WhatsApp id (may differ from {@code input})
 * @param messageStatus {@code accepted}, {@code held_for_quality_assessment}, {@code paused} (templates under
 *                      pacing) or null
 */
public record SendResult(String messageId, String input, String waId, String messageStatus, JsonNode raw) {

    static SendResult from(JsonNode n) {
        JsonNode contact = Nodes.array(n, "contacts").stream().findFirst().orElse(null);
        JsonNode message = Nodes.array(n, "messages").stream().findFirst().orElse(null);
        return new SendResult(Nodes.text(message, "id"), Nodes.text(contact, "input"), Nodes.text(contact, "wa_id"),
                Nodes.text(message, "message_status"), n);
    }
}
