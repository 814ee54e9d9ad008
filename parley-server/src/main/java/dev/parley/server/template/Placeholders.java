package dev.parley.server.template;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables a template's components declare, in the order a sender must supply them: {@code {{1}}} or
 * {@code {{name}}} in the header text, the body text and URL buttons. Each with its component, the button index
 * where relevant, and Meta's example value when the template carries one.
 */
final class Placeholders {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Placeholders() {
    }

    static ArrayNode of(JsonNode components) {
        ArrayNode out = NODES.arrayNode();
        if (components == null || !components.isArray()) {
            return out;
        }
        for (JsonNode component : components) {
            String type = text(component, "type").toLowerCase(Locale.ROOT);
            switch (type) {
                case "header" -> {
                    String format = text(component, "format").toUpperCase(Locale.ROOT);
                    if (format.isEmpty() || format.equals("TEXT")) {
                        add(out, "header", null, text(component, "text"), component.path("example"),
                                "header_text", "header_text_named_params");
                    } else {
                        // a media header takes one parameter of that type
                        ObjectNode p = out.addObject();
                        p.put("component", "header");
                        p.put("type", format.toLowerCase(Locale.ROOT));
                    }
                }
                case "body" -> add(out, "body", null, text(component, "text"), component.path("example"),
                        "body_text", "body_text_named_params");
                case "buttons" -> {
                    int index = 0;
                    for (JsonNode button : component.path("buttons")) {
                        String buttonType = text(button, "type").toUpperCase(Locale.ROOT);
                        if (buttonType.equals("URL")) {
                            add(out, "button", index, text(button, "url"), button.path("example"), null, null);
                        } else if (buttonType.equals("COPY_CODE")) {
                            ObjectNode p = out.addObject();
                            p.put("component", "button");
                            p.put("index", index);
                            p.put("type", "coupon_code");
                        }
                        index++;
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    private static void add(ArrayNode out, String component, Integer index, String text, JsonNode example,
                            String positionalKey, String namedKey) {
        Matcher m = VARIABLE.matcher(text);
        int position = 0;
        while (m.find()) {
            String name = m.group(1);
            ObjectNode p = out.addObject();
            p.put("component", component);
            if (index != null) {
                p.put("index", index);
            }
            p.put("type", "text");
            p.put("name", name);
            String sample = example(example, positionalKey, namedKey, name, position);
            if (sample != null) {
                p.put("example", sample);
            }
            position++;
        }
    }

    private static String example(JsonNode example, String positionalKey, String namedKey, String name, int position) {
        if (example == null || example.isMissingNode()) {
            return null;
        }
        if (namedKey != null) {
            for (JsonNode named : example.path(namedKey)) {
                if (name.equals(text(named, "param_name"))) {
                    return text(named, "example");
                }
            }
        }
        JsonNode values = positionalKey == null ? example : example.path(positionalKey);
        if (values.isArray() && values.size() > 0 && values.get(0).isArray()) {
            values = values.get(0); // body_text is [[...]]
        }
        if (values.isArray() && position < values.size() && values.get(position).isString()) {
            return values.get(position).stringValue();
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isString() ? v.stringValue() : "";
    }
}
