package dev.parley.cloudapi.webhook;

import tools.jackson.databind.JsonNode;

/** The user's answer inside an {@code interactive} message, one variant per {@code interactive.type}. */
public sealed interface InteractiveReply {

    /** The wire {@code interactive.type}. */
    String type();

    /** The reply object as received (e.g. {@code interactive.button_reply}); a missing node if absent. */
    JsonNode raw();

    /** {@code button_reply{id, title}}: a reply button was tapped. */
    record ButtonReply(String id, String title, JsonNode raw) implements InteractiveReply {
        public ButtonReply {
            raw = Json.raw(raw);
        }

        @Override
        public String type() {
            return "button_reply";
        }
    }

    /** {@code list_reply{id, title, description?}}: a list row was chosen. */
    record ListReply(String id, String title, String description, JsonNode raw) implements InteractiveReply {
        public ListReply {
            raw = Json.raw(raw);
        }

        @Override
        public String type() {
            return "list_reply";
        }
    }

    /**
     * {@code nfm_reply{response_json, body, name}}: a WhatsApp Flow was completed.
     *
     * @param responseJson the {@code response_json} string exactly as received
     * @param response     {@code response_json} parsed, or {@code null} if it is absent or not valid JSON
     */
    record NfmReply(String responseJson, JsonNode response, String body, String name, JsonNode raw)
            implements InteractiveReply {
        public NfmReply {
            raw = Json.raw(raw);
        }

        @Override
        public String type() {
            return "nfm_reply";
        }
    }

    /**
     * An interactive type this library does not know (or none at all).
     *
     * @param type the wire type, or {@code null} if absent
     * @param raw  the whole {@code interactive} object (a missing node if Meta sent none)
     */
    record Unknown(String type, JsonNode raw) implements InteractiveReply {
        public Unknown {
            raw = Json.raw(raw);
        }
    }
}
