package dev.parley.server.sending;

import dev.parley.server.template.TemplatePicker;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The template picker of the reply box and of a new conversation ({@code inbox/template-fields.html}): its part of the
 * page's model, its checks, and its form turned into Meta's {@code template} object and a send request.
 */
@Component
class TemplateMessages {

    private final TemplatePicker templates;
    private final JsonMapper json;

    TemplateMessages(TemplatePicker templates, JsonMapper json) {
        this.templates = templates;
        this.json = json;
    }

    /**
     * The picker's model for the channel ({@code null}: none): its approved templates ({@code choices}), the one of
     * {@code templateKey} ({@code chosen}, null when none or not approved), the {@code values} typed and the
     * {@code preview}. Answers the chosen template.
     */
    TemplatePicker.Choice fill(Model model, UUID orgId, UUID integrationId, String templateKey,
                               Map<String, String> values) {
        List<TemplatePicker.Choice> choices = integrationId == null ? List.of()
                : templates.approved(orgId, integrationId);
        TemplatePicker.Choice chosen = templateKey == null ? null
                : choices.stream().filter(x -> x.key().equals(templateKey)).findFirst().orElse(null);
        model.addAttribute("choices", choices);
        model.addAttribute("chosen", chosen);
        model.addAttribute("values", values);
        model.addAttribute("preview", chosen == null ? null : chosen.preview(values));
        return chosen;
    }

    /** What keeps the picker's form from being sent (no approved template chosen, a variable empty), else null. */
    static String problem(TemplatePicker.Choice choice, Map<String, String> values) {
        if (choice == null) {
            return "Pick an approved template.";
        }
        return missing(choice, values) == null ? null : "Fill in every variable of the template.";
    }

    /** The send request ({@code POST /api/v1/messages}'s body) of the template with these values. */
    ObjectNode request(UUID integrationId, String to, TemplatePicker.Choice choice, Map<String, String> values) {
        ObjectNode request = json.createObjectNode();
        request.put("integration_id", integrationId.toString());
        request.put("to", to);
        request.put("type", "template");
        request.set("template", object(choice, values));
        return request;
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
