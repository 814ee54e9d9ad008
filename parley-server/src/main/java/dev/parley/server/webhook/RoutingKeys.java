package dev.parley.server.webhook;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The light parse the global URL needs before it can check a signature: which phone number ids
 * ({@code entry[].changes[].value.metadata.phone_number_id}) the body names, and the WABA ids ({@code entry[].id})
 * of entries holding changes without one (template and account updates). Nothing else is read or trusted.
 *
 * @param wellFormed false when the body is not a JSON object with an {@code entry} array
 */
record RoutingKeys(boolean wellFormed, Set<String> phoneNumberIds, Set<String> wabaIds) {

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build()).build();

    static RoutingKeys of(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (RuntimeException e) {
            return new RoutingKeys(false, Set.of(), Set.of());
        }
        if (root == null || !root.isObject() || !root.path("entry").isArray()) {
            return new RoutingKeys(false, Set.of(), Set.of());
        }
        Set<String> phones = new LinkedHashSet<>();
        Set<String> wabas = new LinkedHashSet<>();
        for (JsonNode entry : root.get("entry")) {
            boolean needsWaba = false;
            for (JsonNode change : entry.path("changes")) {
                String phone = text(change.path("value").path("metadata").path("phone_number_id"));
                if (phone != null) {
                    phones.add(phone);
                } else {
                    needsWaba = true;
                }
            }
            String waba = text(entry.path("id"));
            if (needsWaba && waba != null) {
                wabas.add(waba);
            }
        }
        return new RoutingKeys(true, phones, wabas);
    }

    private static String text(JsonNode node) {
        if (node.isString() || node.isNumber()) {
            String s = node.asString();
            return s.isBlank() || s.length() > 100 ? null : s;
        }
        return null;
    }

    boolean isEmpty() {
        return phoneNumberIds.isEmpty() && wabaIds.isEmpty();
    }
}
