package dev.parley.emulator;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON helpers, and the serialiser that writes JSON the way Meta does on the wire: every character outside
 * printable ASCII as a lowercase {@code \\uXXXX} escape (UTF-16 units) and {@code /} as {@code \\/}.
 */
final class MetaJson {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private MetaJson() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static JsonNode parse(String text) {
        return MAPPER.readTree(text);
    }

    /** Compact JSON, Meta-escaped; only ASCII characters remain. */
    static String write(JsonNode node) {
        return escape(MAPPER.writeValueAsString(node));
    }

    static byte[] writeBytes(JsonNode node) {
        return write(node).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Rewrites already valid JSON text: {@code /} and every char outside 0x20..0x7E become escapes. Safe on the
     * whole document because such characters can only occur inside strings.
     */
    static String escape(String json) {
        StringBuilder sb = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '/') {
                sb.append("\\/");
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The string value of {@code node.field}, or null when absent or not a string. */
    static String str(JsonNode node, String field) {
        if (node == null) return null;
        JsonNode v = node.get(field);
        return v != null && v.isString() ? v.stringValue() : null;
    }

    static boolean has(JsonNode node, String field) {
        return node != null && node.has(field) && !node.get(field).isNull();
    }
}
