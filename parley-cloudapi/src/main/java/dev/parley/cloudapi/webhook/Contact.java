package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/**
 * An entry of {@code value.contacts[]}: the WhatsApp user a message came from.
 *
 * @param profile      {@code profile}, or {@code null} when absent
 * @param waId         the user's WhatsApp ID (phone number without '+')
 * @param userId       business-scoped user ID ({@code user_id}), in newer payloads only
 * @param parentUserId {@code parent_user_id}, in newer payloads only
 */
public record Contact(Profile profile, String waId, String userId, String parentUserId, JsonNode raw) {

    public Contact {
        raw = Json.raw(raw);
    }

    /** The profile name, or {@code null}. */
    public String profileName() {
        return profile == null ? null : profile.name();
    }

    static Contact from(JsonNode node) {
        JsonNode profile = Json.object(node, "profile");
        return new Contact(profile == null ? null : new Profile(Json.text(profile, "name"), profile),
                Json.text(node, "wa_id"), Json.text(node, "user_id"), Json.text(node, "parent_user_id"), node);
    }

    /** {@code contacts[].profile}. */
    public record Profile(String name, JsonNode raw) {
        public Profile {
            raw = Json.raw(raw);
        }
    }
}
