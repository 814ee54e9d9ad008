package dev.parley.cloudapi.webhook;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * The value of a {@code message_template_status_update} change: a template was approved, rejected, paused, ...
 *
 * @param event          {@code event} as received, e.g. {@code "APPROVED"}
 * @param eventType      the typed event ({@link TemplateStatusEvent#UNKNOWN} for new values)
 * @param templateId     {@code message_template_id} (an integer on the wire, kept as its decimal text)
 * @param reason         {@code reason}, e.g. {@code "NONE"}, {@code "SCAM"}; {@code null} if absent or null
 * @param category       {@code message_template_category}, or {@code null}
 */
public record TemplateStatusUpdate(String event, TemplateStatusEvent eventType, String templateId,
                                   String templateName, String language, String reason, String category,
                                   DisableInfo disableInfo, OtherInfo otherInfo, RejectionInfo rejectionInfo,
                                   JsonNode raw) implements ChangeValue {

    public TemplateStatusUpdate {
        if (eventType == null) {
            eventType = TemplateStatusEvent.fromWire(event);
        }
        raw = Json.raw(raw);
    }

    @Override
    public String field() {
        return "message_template_status_update";
    }

    static TemplateStatusUpdate from(JsonNode node) {
        JsonNode disable = Json.object(node, "disable_info");
        JsonNode other = Json.object(node, "other_info");
        JsonNode rejection = Json.object(node, "rejection_info");
        String event = Json.text(node, "event");
        return new TemplateStatusUpdate(event, TemplateStatusEvent.fromWire(event),
                Json.text(node, "message_template_id"), Json.text(node, "message_template_name"),
                Json.text(node, "message_template_language"), Json.text(node, "reason"),
                Json.text(node, "message_template_category"),
                disable == null ? null : new DisableInfo(Json.epochSeconds(disable, "disable_date"), disable),
                other == null ? null : new OtherInfo(Json.text(other, "title"), Json.text(other, "description"),
                        other),
                rejection == null ? null : new RejectionInfo(Json.text(rejection, "reason"),
                        Json.text(rejection, "recommendation"), rejection),
                node);
    }

    /** {@code disable_info{disable_date}}. */
    public record DisableInfo(Instant disableDate, JsonNode raw) {
        public DisableInfo {
            raw = Json.raw(raw);
        }
    }

    /** {@code other_info{title, description}} (e.g. why a template was paused or locked). */
    public record OtherInfo(String title, String description, JsonNode raw) {
        public OtherInfo {
            raw = Json.raw(raw);
        }
    }

    /** {@code rejection_info{reason, recommendation}}. */
    public record RejectionInfo(String reason, String recommendation, JsonNode raw) {
        public RejectionInfo {
            raw = Json.raw(raw);
        }
    }
}
