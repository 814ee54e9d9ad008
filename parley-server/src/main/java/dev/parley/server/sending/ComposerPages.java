package dev.parley.server.sending;

import dev.parley.server.identity.Actor;
import dev.parley.server.messaging.Conversations;
import dev.parley.server.template.TemplatePicker;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The inbox's reply box (an htmx fragment under a thread): text while the customer's 24-hour window is open;
 * when it is closed the box says so and offers the template picker, with a field per variable and a live preview.
 * Sending goes through {@link SendRequests}, the same checks and queue as {@code POST /api/v1/messages}.
 */
@UiController
class ComposerPages {

    private final Conversations conversations;
    private final TemplatePicker templates;
    private final SendRequests requests;
    private final JsonMapper json;

    ComposerPages(Conversations conversations, TemplatePicker templates, SendRequests requests, JsonMapper json) {
        this.conversations = conversations;
        this.templates = templates;
        this.requests = requests;
        this.json = json;
    }

    @GetMapping("/app/inbox/{id}/composer")
    String composer(Actor actor, @PathVariable UUID id, @RequestParam(required = false) String template, Model model) {
        return render(actor, conversation(actor, id), template, Map.of(), model);
    }

    @PostMapping("/app/inbox/{id}/reply")
    String reply(Actor actor, @PathVariable UUID id, @RequestParam(defaultValue = "") String text, Model model) {
        Conversations.ConversationRef c = conversation(actor, id);
        if (text.isBlank()) {
            model.addAttribute("error", "Write a message first.");
            return render(actor, c, null, Map.of(), model);
        }
        ObjectNode request = base(c, "text");
        request.putObject("text").put("body", text);
        return send(actor, c, request, null, Map.of(), model);
    }

    /** htmx: the variables form and preview of the chosen template (also re-rendered as the agent types). */
    @PostMapping("/app/inbox/{id}/template-preview")
    String preview(Actor actor, @PathVariable UUID id, @RequestParam MultiValueMap<String, String> form, Model model) {
        Conversations.ConversationRef c = conversation(actor, id);
        return render(actor, c, form.getFirst("template"), values(form), model);
    }

    @PostMapping("/app/inbox/{id}/template")
    String sendTemplate(Actor actor, @PathVariable UUID id, @RequestParam MultiValueMap<String, String> form,
                        Model model) {
        Conversations.ConversationRef c = conversation(actor, id);
        String key = form.getFirst("template");
        Map<String, String> values = values(form);
        TemplatePicker.Choice choice = key == null ? null
                : templates.find(actor.orgId(), c.integrationId(), key).orElse(null);
        if (choice == null) {
            model.addAttribute("error", "Pick an approved template.");
            return render(actor, c, null, values, model);
        }
        for (TemplatePicker.Variable v : choice.variables()) {
            if (values.getOrDefault(v.key(), "").isBlank()) {
                model.addAttribute("error", "Fill in every variable of the template.");
                return render(actor, c, key, values, model);
            }
        }
        ObjectNode request = base(c, "template");
        request.set("template", templateObject(choice, values));
        return send(actor, c, request, key, values, model);
    }

    private String send(Actor actor, Conversations.ConversationRef c, ObjectNode request, String template,
                        Map<String, String> values, Model model) {
        try {
            requests.send(actor.orgId(), request);
            model.addAttribute("sent", true);
            return render(actor, c, null, Map.of(), model);
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            model.addAttribute("error", e.getMessage());
            return render(actor, conversation(actor, c.id()), template, values, model);
        }
    }

    private ObjectNode base(Conversations.ConversationRef c, String type) {
        ObjectNode request = json.createObjectNode();
        request.put("integration_id", c.integrationId().toString());
        request.put("to", c.waId());
        request.put("type", type);
        return request;
    }

    /** Meta's {@code template} object: name, language and a component per header, body and button variables. */
    ObjectNode templateObject(TemplatePicker.Choice choice, Map<String, String> values) {
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

    private String render(Actor actor, Conversations.ConversationRef c, String templateKey, Map<String, String> values,
                          Model model) {
        List<TemplatePicker.Choice> choices = templates.approved(actor.orgId(), c.integrationId());
        TemplatePicker.Choice chosen = templateKey == null ? null
                : choices.stream().filter(x -> x.key().equals(templateKey)).findFirst().orElse(null);
        model.addAttribute("c", c);
        model.addAttribute("windowOpen", c.windowOpen());
        model.addAttribute("choices", choices);
        model.addAttribute("chosen", chosen);
        model.addAttribute("values", values);
        model.addAttribute("preview", chosen == null ? null : chosen.preview(values));
        return "inbox/composer :: composer";
    }

    private static Map<String, String> values(MultiValueMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.matches("v[0-9]{1,3}") && !v.isEmpty()) {
                values.put(k, v.get(0));
            }
        });
        return values;
    }

    private Conversations.ConversationRef conversation(Actor actor, UUID id) {
        return conversations.find(actor.orgId(), id).orElseThrow(() -> ApiException.notFound("conversation"));
    }
}
