package dev.parley.server.template;

import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The approved templates of an integration with their variables, for the inbox's template picker: what to ask the
 * agent for, a preview with the values filled in, and the {@code template} object Meta's send API takes.
 */
public interface TemplatePicker {

    /** A variable to fill in: its component ({@code header}, {@code body}, {@code button}), type, name, example. */
    record Variable(String key, String component, Integer index, String type, String name, String example) {
    }

    record Choice(String name, String language, String category, String parameterFormat, String header,
                  String body, String footer, List<Variable> variables) {

        public String key() {
            return name + "|" + language;
        }

        /** The header and body with the given values in place of their variables (blank values keep {{x}}). */
        public String preview(Map<String, String> values) {
            StringBuilder sb = new StringBuilder();
            if (header != null && !header.isBlank()) {
                sb.append(fill(header, "header", values)).append("\n\n");
            }
            sb.append(fill(body == null ? "" : body, "body", values));
            if (footer != null && !footer.isBlank()) {
                sb.append("\n\n").append(footer);
            }
            return sb.toString();
        }

        private String fill(String text, String component, Map<String, String> values) {
            String out = text;
            for (Variable v : variables) {
                if (v.component().equals(component) && v.name() != null) {
                    String value = values.get(v.key());
                    if (value != null && !value.isBlank()) {
                        out = out.replaceAll("\\{\\{\\s*" + java.util.regex.Pattern.quote(v.name()) + "\\s*}}",
                                java.util.regex.Matcher.quoteReplacement(value));
                    }
                }
            }
            return out;
        }
    }

    List<Choice> approved(UUID orgId, UUID integrationId);

    Optional<Choice> find(UUID orgId, UUID integrationId, String key);
}

@Service
class TemplatePickerQueries implements TemplatePicker {

    private final TemplateStore store;

    TemplatePickerQueries(TemplateStore store) {
        this.store = store;
    }

    @Override
    public List<Choice> approved(UUID orgId, UUID integrationId) {
        return store.list(orgId, integrationId).stream()
                .filter(t -> "APPROVED".equalsIgnoreCase(String.valueOf(t.get("status"))))
                .map(TemplatePickerQueries::choice).toList();
    }

    @Override
    public Optional<Choice> find(UUID orgId, UUID integrationId, String key) {
        return approved(orgId, integrationId).stream().filter(c -> c.key().equals(key)).findFirst();
    }

    private static Choice choice(Map<String, Object> t) {
        String header = null;
        String body = null;
        String footer = null;
        if (t.get("components") instanceof JsonNode components) {
            for (JsonNode c : components) {
                String type = c.path("type").asString("").toUpperCase(Locale.ROOT);
                switch (type) {
                    case "HEADER" -> header = c.path("format").asString("TEXT").equalsIgnoreCase("TEXT")
                            ? c.path("text").asString("") : "[" + c.path("format").asString("").toLowerCase(Locale.ROOT) + "]";
                    case "BODY" -> body = c.path("text").asString("");
                    case "FOOTER" -> footer = c.path("text").asString("");
                    default -> {
                    }
                }
            }
        }
        List<Variable> variables = new ArrayList<>();
        if (t.get("placeholders") instanceof JsonNode list) {
            int i = 0;
            for (JsonNode p : list) {
                Integer index = p.path("index").isNumber() ? p.path("index").asInt() : null;
                variables.add(new Variable("v" + i++, p.path("component").asString(""), index,
                        p.path("type").asString("text"), p.path("name").asString(null),
                        p.path("example").asString(null)));
            }
        }
        return new Choice((String) t.get("name"), (String) t.get("language"), (String) t.get("category"),
                (String) t.get("parameter_format"), header, body, footer, variables);
    }
}
