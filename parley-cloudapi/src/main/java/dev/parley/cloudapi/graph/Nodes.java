package dev.parley.cloudapi.graph;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Lenient reads from Jackson trees: missing, null or non-scalar values give null. */
final class Nodes {
    private Nodes() {
    }

    static String text(JsonNode parent, String name) {
        if (parent == null || !parent.isObject()) return null;
        JsonNode v = parent.get(name);
        if (v == null || v.isNull() || v.isMissingNode() || v.isContainer()) return null;
        return v.asString();
    }

    static Long longValue(JsonNode parent, String name) {
        String s = text(parent, name);
        if (s == null) return null;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Integer intValue(JsonNode parent, String name) {
        Long l = longValue(parent, name);
        return l == null || l > Integer.MAX_VALUE || l < Integer.MIN_VALUE ? null : l.intValue();
    }

    static Boolean bool(JsonNode parent, String name) {
        if (parent == null || !parent.isObject()) return null;
        JsonNode v = parent.get(name);
        if (v == null || !v.isBoolean()) return null;
        return v.booleanValue();
    }

    static List<JsonNode> array(JsonNode parent, String name) {
        List<JsonNode> out = new ArrayList<>();
        if (parent == null || !parent.isObject()) return out;
        JsonNode v = parent.get(name);
        if (v != null && v.isArray()) v.forEach(out::add);
        return out;
    }

    static List<String> strings(JsonNode parent, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(parent, name)) {
            if (n.isValueNode() && !n.isNull()) out.add(n.asString());
        }
        return out;
    }
}
