package dev.parley.cloudapi.webhook;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Lenient accessors over a Jackson tree. Every method tolerates a missing field, a JSON null and a value of
 * the wrong type (it then returns {@code null} or an empty list) and never throws, so that the model keeps
 * working when Meta changes a field's shape.
 */
final class Json {

    private Json() {
    }

    static JsonNode missing() {
        return MissingNode.getInstance();
    }

    /** The child {@code name} of an object node, or {@code null} when the parent is not an object or lacks it. */
    static JsonNode child(JsonNode parent, String name) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode child = parent.get(name);
        return child == null || child.isNull() || child.isMissingNode() ? null : child;
    }

    /** The child {@code name} if it is an object node, else {@code null}. */
    static JsonNode object(JsonNode parent, String name) {
        JsonNode child = child(parent, name);
        return child != null && child.isObject() ? child : null;
    }

    /** The child {@code name} if it is present (any type), else a missing node; used as a raw value. */
    static JsonNode rawChild(JsonNode parent, String name) {
        JsonNode child = child(parent, name);
        return child == null ? missing() : child;
    }

    /**
     * A string field. Strings are returned as is; numbers and booleans are returned as their JSON text
     * (Meta sends some IDs as numbers); objects, arrays, null and absent fields give {@code null}.
     */
    static String text(JsonNode parent, String name) {
        return scalarText(child(parent, name));
    }

    static String scalarText(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isNumber() || node.isBoolean()) {
            try {
                return node.asString();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** A boolean field; also accepts the strings "true"/"false" (any case). */
    static Boolean bool(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString()) {
            String s = node.stringValue().trim().toLowerCase(Locale.ROOT);
            if (s.equals("true")) {
                return Boolean.TRUE;
            }
            if (s.equals("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /** An integral field that fits a {@code long}; numeric strings are accepted. */
    static Long longValue(JsonNode parent, String name) {
        return toLong(child(parent, name));
    }

    static Long toLong(JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            if (node.isIntegralNumber()) {
                return node.canConvertToLong() ? node.longValue() : null;
            }
            if (node.isString()) {
                return Long.parseLong(node.stringValue().trim());
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    /** An integral field that fits an {@code int}; numeric strings are accepted. */
    static Integer intValue(JsonNode parent, String name) {
        Long l = longValue(parent, name);
        return l != null && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? Integer.valueOf(l.intValue()) : null;
    }

    /** A finite floating-point field; numeric strings are accepted. */
    static Double doubleValue(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        if (node == null) {
            return null;
        }
        try {
            double d;
            if (node.isNumber()) {
                d = node.asDouble();
            } else if (node.isString()) {
                d = Double.parseDouble(node.stringValue().trim());
            } else {
                return null;
            }
            return Double.isFinite(d) ? d : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** An exact decimal field (prices); numeric strings are accepted. */
    static BigDecimal decimal(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        if (node == null) {
            return null;
        }
        try {
            if (node.isNumber() || node.isString()) {
                String s = node.isString() ? node.stringValue().trim() : node.asString();
                if (s.length() > 100) {
                    return null;
                }
                return new BigDecimal(s);
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    /** A Unix-seconds field (string or number) as an {@link Instant}, or {@code null} if absent or unusable. */
    static Instant epochSeconds(JsonNode parent, String name) {
        Long seconds = longValue(parent, name);
        if (seconds == null) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(seconds);
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** The elements of an array field (empty when absent or not an array). */
    static List<JsonNode> elements(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        return elementsOf(node);
    }

    static List<JsonNode> elementsOf(JsonNode node) {
        if (node == null || !node.isArray()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            out.add(element);
        }
        return out;
    }

    /** Maps every element of an array field; the mapper must tolerate any node type. */
    static <T> List<T> list(JsonNode parent, String name, Function<JsonNode, T> mapper) {
        List<JsonNode> nodes = elements(parent, name);
        if (nodes.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(nodes.size());
        for (JsonNode node : nodes) {
            out.add(mapper.apply(node));
        }
        return List.copyOf(out);
    }

    /** Array of strings (scalars converted to text, other elements skipped). */
    static List<String> textList(JsonNode parent, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode node : elements(parent, name)) {
            String s = scalarText(node);
            if (s != null) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static JsonNode raw(JsonNode raw) {
        return raw == null ? missing() : raw;
    }
}
