package dev.parley.cloudapi.graph;

import tools.jackson.databind.JsonNode;

/**
 * A WhatsApp Business phone number as {@code GET /{phone_number_id}} or {@code GET /{waba_id}/phone_numbers}
 * returns it. Fields Meta did not send are null; everything is in {@link #raw()}.
 *
 * @param displayPhoneNumber as Meta shows it, e.g. {@code +1 555-000-0001} or {@code 15550000001}
 * @param qualityRating      GREEN, YELLOW, RED or NA
 * @param throughputLevel    {@code throughput.level}, e.g. STANDARD
 */
public record PhoneNumber(String id, String displayPhoneNumber, String verifiedName, String qualityRating,
                          String codeVerificationStatus, String platformType, String throughputLevel, JsonNode raw) {

    static PhoneNumber from(JsonNode n) {
        JsonNode throughput = n.get("throughput");
        return new PhoneNumber(Nodes.text(n, "id"), Nodes.text(n, "display_phone_number"),
                Nodes.text(n, "verified_name"), Nodes.text(n, "quality_rating"),
                Nodes.text(n, "code_verification_status"), Nodes.text(n, "platform_type"),
                Nodes.text(throughput, "level"), n);
    }

    /** The display number reduced to its digits (no {@code +}, spaces or dashes), or null. */
    public String digits() {
        return displayPhoneNumber == null ? null : displayPhoneNumber.replaceAll("\\D", "");
    }
}
