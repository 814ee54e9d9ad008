package dev.parley.server.sending;

import dev.parley.server.template.TemplatePicker;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** The template picker's form turned into Meta's {@code template} object (the reply box and a new conversation). */
@Component
class TemplateMessages {

    private final JsonMapper json;

    TemplateMessages(JsonMapper json) {
        this.json = json;
    }

    /** An error for a page: the API's message without the rule codes it appends ({@code " [to.invalid]"}). */
    static String plain(String apiMessage) {
        return apiMessage == null ? null : apiMessage.replaceAll(" \\[[a-z0-9_.]+\\]", "");
    }

    /** The first variable left empty, or null when every one has a value. */
    static TemplatePicker.Variable missing(TemplatePicker.Choice choice, Map<String, String> values) {
        return choice.variables().stream().filter(v -> values.getOrDefault(v.key(), "").isBlank()).findFirst()
                .orElse(null);
    }

    /** Meta's {@code template} object: name, language and a component per header, body and button variables. */
    ObjectNode object(TemplatePicker.Choice choice, Map<String, String> values) {
        ObjectNode t = json.createObjectNode();
        t.put("name", choice.name());
        t.putObject("language").put("code", choice.language());
        boolean named = "NAMED".equalsIgnoreCase(choice.parameterFormat());
        Map<String, ObjectNode> components = new LinkedHashMap<>();
        for (TemplatePicker.Variable v : choice.variables()) {
            String value = values.getOrDefault(v.key(), "").strip();
            String componentKey = v.component() + (v.index() == null ? "" : ":" + v.index());
            ObjectNode component = components.computeIfAbsent(componentKey, k -> {
                ObjectNode n = json.createObjectNode();
                n.put("type", v.component());
                if ("button".equals(v.component())) {
                    n.put("sub_type", "coupon_code".equals(v.type()) ? "copy_code" : "url");
                    n.put("index", String.valueOf(v.index()));
                }
                n.putArray("parameters");
                return n;
            });
            ArrayNode parameters = (ArrayNode) component.get("parameters");
            ObjectNode p = parameters.addObject();
            switch (v.type()) {
                case "image", "video", "document" -> {
                    p.put("type", v.type());
                    p.putObject(v.type()).put("link", value);
                }
                case "coupon_code" -> {
                    p.put("type", "coupon_code");
                    p.put("coupon_code", value);
                }
                default -> {
                    p.put("type", "text");
                    p.put("text", value);
                    if (named && !"button".equals(v.component()) && v.name() != null) {
                        p.put("parameter_name", v.name());
                    }
                }
            }
        }
        if (!components.isEmpty()) {
            ArrayNode list = t.putArray("components");
            components.values().forEach(list::add);
        }
        return t;
    }

    /** The variables' values of a picker form (fields v0, v1, ...). */
    static Map<String, String> values(MultiValueMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.matches("v[0-9]{1,3}") && !v.isEmpty()) {
                values.put(k, v.get(0));
            }
        });
        return values;
    }
}
