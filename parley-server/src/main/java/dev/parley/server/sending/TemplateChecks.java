package dev.parley.server.sending;

import dev.parley.server.template.TemplateCatalog;
import dev.parley.server.web.ApiException;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a template send against the stored template before anything is queued: it exists, is APPROVED, and
 * the parameters fit (number of body variables, header type, button parameters). Each refusal is a 422 whose
 * code names the rule and whose message gives the reason.
 */
final class TemplateChecks {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");
    private static final Set<String> MEDIA_HEADERS = Set.of("IMAGE", "VIDEO", "DOCUMENT");

    private TemplateChecks() {
    }

    /** {@code template} is the object under {@code "template"} in the request (already shape-checked). */
    static void check(TemplateCatalog catalog, java.util.UUID orgId, java.util.UUID integrationId, JsonNode template) {
        String name = template.path("name").asString("");
        String language = template.path("language").path("code").asString("");
        TemplateCatalog.Template t = catalog.find(orgId, integrationId, name, language).orElseThrow(() ->
                ApiException.unprocessable("template_not_found", "This integration has no template \"" + name
                        + "\" in language " + language + ". Check the name and language, or sync the templates "
                        + "(POST /api/v1/channels/whatsapp/integrations/{id}/templates/sync)."));
        if (!"APPROVED".equalsIgnoreCase(t.status())) {
            String status = t.status() == null ? "not yet approved" : t.status();
            throw ApiException.unprocessable("template_not_approved", "Template \"" + name + "\" (" + language
                    + ") is " + status + (t.rejectionReason() == null ? "" : " (reason: " + t.rejectionReason() + ")")
                    + "; only APPROVED templates can be sent.");
        }
        if (t.components() == null || !t.components().isArray()) {
            return; // known from a webhook only: Meta checks the parameters
        }
        List<JsonNode> sent = new ArrayList<>();
        for (JsonNode c : template.path("components")) {
            sent.add(c);
        }
        JsonNode header = null;
        JsonNode body = null;
        JsonNode buttons = null;
        for (JsonNode c : t.components()) {
            switch (c.path("type").asString("").toUpperCase(Locale.ROOT)) {
                case "HEADER" -> header = c;
                case "BODY" -> body = c;
                case "BUTTONS" -> buttons = c;
                default -> {
                }
            }
        }
        checkBody(name, body, component(sent, "body"));
        checkHeader(name, header, component(sent, "header"));
        checkButtons(name, buttons, sent);
    }

    private static JsonNode component(List<JsonNode> sent, String type) {
        for (JsonNode c : sent) {
            if (type.equalsIgnoreCase(c.path("type").asString(""))) {
                return c;
            }
        }
        return null;
    }

    private static int count(JsonNode component) {
        return component == null ? 0 : component.path("parameters").size();
    }

    private static Set<String> variables(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text == null ? "" : text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static void checkBody(String name, JsonNode body, JsonNode sent) {
        Set<String> vars = body == null ? Set.of() : variables(body.path("text").asString(""));
        int given = count(sent);
        if (given != vars.size()) {
            throw ApiException.unprocessable("template_body_parameters", "The body of template \"" + name
                    + "\" takes " + vars.size() + " parameter" + (vars.size() == 1 ? "" : "s") + " " + vars
                    + ", " + given + " given.");
        }
        for (JsonNode p : sent == null ? List.<JsonNode>of() : iterable(sent.path("parameters"))) {
            String paramName = p.path("parameter_name").asString(null);
            if (paramName != null && !vars.contains(paramName)) {
                throw ApiException.unprocessable("template_body_parameters", "The body of template \"" + name
                        + "\" has no variable {{" + paramName + "}}; its variables are " + vars + ".");
            }
        }
    }

    private static void checkHeader(String name, JsonNode header, JsonNode sent) {
        if (header == null) {
            if (count(sent) > 0) {
                throw ApiException.unprocessable("template_header", "Template \"" + name
                        + "\" has no header; remove the header parameters.");
            }
            return;
        }
        String format = header.path("format").asString("TEXT").toUpperCase(Locale.ROOT);
        if (MEDIA_HEADERS.contains(format) || format.equals("LOCATION")) {
            String expected = format.toLowerCase(Locale.ROOT);
            JsonNode params = sent == null ? null : sent.path("parameters");
            if (params == null || params.size() != 1) {
                throw ApiException.unprocessable("template_header", "Template \"" + name + "\" has a " + expected
                        + " header: send one header parameter of type " + expected + ".");
            }
            String type = params.get(0).path("type").asString("");
            if (!expected.equalsIgnoreCase(type)) {
                throw ApiException.unprocessable("template_header", "Template \"" + name + "\" has a " + expected
                        + " header, but the header parameter is of type " + (type.isEmpty() ? "(none)" : type) + ".");
            }
            return;
        }
        Set<String> vars = variables(header.path("text").asString(""));
        int given = count(sent);
        if (given != vars.size()) {
            throw ApiException.unprocessable("template_header", "The text header of template \"" + name
                    + "\" takes " + vars.size() + " parameter" + (vars.size() == 1 ? "" : "s") + ", " + given
                    + " given.");
        }
        for (JsonNode p : sent == null ? List.<JsonNode>of() : iterable(sent.path("parameters"))) {
            if (!"text".equalsIgnoreCase(p.path("type").asString(""))) {
                throw ApiException.unprocessable("template_header", "Template \"" + name
                        + "\" has a text header; its parameters must be of type text.");
            }
        }
    }

    private static void checkButtons(String name, JsonNode buttons, List<JsonNode> sent) {
        List<JsonNode> defined = new ArrayList<>();
        if (buttons != null) {
            for (JsonNode b : buttons.path("buttons")) {
                defined.add(b);
            }
        }
        Set<Integer> given = new LinkedHashSet<>();
        for (JsonNode c : sent) {
            if (!"button".equalsIgnoreCase(c.path("type").asString(""))) {
                continue;
            }
            int index = c.path("index").isNumber() ? c.path("index").asInt()
                    : Integer.parseInt(c.path("index").asString("-1").trim());
            String subType = c.path("sub_type").asString("").toLowerCase(Locale.ROOT);
            if (index < 0 || index >= defined.size()) {
                throw ApiException.unprocessable("template_button", "Template \"" + name + "\" has "
                        + defined.size() + " button" + (defined.size() == 1 ? "" : "s") + "; there is no button "
                        + index + ".");
            }
            String type = defined.get(index).path("type").asString("").toUpperCase(Locale.ROOT);
            String expected = switch (type) {
                case "QUICK_REPLY" -> "quick_reply";
                case "URL" -> "url";
                case "COPY_CODE" -> "copy_code";
                default -> null;
            };
            if (expected != null && !expected.equals(subType)) {
                throw ApiException.unprocessable("template_button", "Button " + index + " of template \"" + name
                        + "\" is a " + type + " button; send sub_type " + expected + ", not " + subType + ".");
            }
            if (type.equals("URL")) {
                int vars = variables(defined.get(index).path("url").asString("")).size();
                if (count(c) != vars) {
                    throw ApiException.unprocessable("template_button", "Button " + index + " of template \""
                            + name + "\" (URL) takes " + vars + " parameter" + (vars == 1 ? "" : "s") + ", "
                            + count(c) + " given.");
                }
            }
            given.add(index);
        }
        for (int i = 0; i < defined.size(); i++) {
            String type = defined.get(i).path("type").asString("").toUpperCase(Locale.ROOT);
            boolean needs = type.equals("COPY_CODE")
                    || (type.equals("URL") && !variables(defined.get(i).path("url").asString("")).isEmpty());
            if (needs && !given.contains(i)) {
                throw ApiException.unprocessable("template_button", "Button " + i + " of template \"" + name
                        + "\" (" + type + ") needs a parameter: add a component {\"type\":\"button\",\"sub_type\":\""
                        + type.toLowerCase(Locale.ROOT) + "\",\"index\":\"" + i + "\",\"parameters\":[...]}.");
            }
        }
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null) {
            array.forEach(out::add);
        }
        return out;
    }
}
