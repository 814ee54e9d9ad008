package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * The value of a {@code phone_number_quality_update} change: a number's quality or messaging limit changed.
 *
 * @param event                            e.g. {@code "FLAGGED"}, {@code "THROUGHPUT_UPGRADE"}
 * @param currentLimit                     e.g. {@code "TIER_10K"}, or {@code null}
 * @param maxDailyConversationsPerBusiness {@code max_daily_conversations_per_business}, or {@code null}
 */
public record PhoneNumberQualityUpdate(String displayPhoneNumber, String event, String currentLimit,
                                       String maxDailyConversationsPerBusiness, JsonNode raw) implements ChangeValue {

    public PhoneNumberQualityUpdate {
        raw = Json.raw(raw);
    }

    @Override
    public String field() {
        return "phone_number_quality_update";
    }

    static PhoneNumberQualityUpdate from(JsonNode node) {
        return new PhoneNumberQualityUpdate(Json.text(node, "display_phone_number"), Json.text(node, "event"),
                Json.text(node, "current_limit"), Json.text(node, "max_daily_conversations_per_business"), node);
    }
}
