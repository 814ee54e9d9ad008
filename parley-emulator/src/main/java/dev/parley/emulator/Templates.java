package dev.parley.emulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /{waba_id}/message_templates}: list with cursor paging, create (starts PENDING), delete. Store monitor held. */
final class Templates {
    static final Set<String> STATUSES = Set.of("APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL",
            "PENDING_DELETION", "DELETED", "ARCHIVED", "LIMIT_EXCEEDED", "FLAGGED", "REINSTATED");
    static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    private static final Pattern NAME = Pattern.compile("^[a-z0-9_]{1,512}$");
    private static final Pattern ANY_VAR = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
    private static final List<String> DEFAULT_FIELDS = List.of("name", "parameter_format", "components", "language",
            "status", "category", "id");

    private Templates() {}

    static HttpResp handle(CloudApiEmulator emu, GraphApi graph, HttpReq req, Store.Waba waba) {
        Store store = emu.store;
        switch (req.method) {
            case "GET": {
                Set<String> statuses = csv(req.query.get("status"));
                Set<String> categories = csv(req.query.get("category"));
                String name = req.query.get("name");
                String language = req.query.get("language");
                List<ObjectNode> items = new ArrayList<>();
                for (Store.Template t : store.templatesOf(waba.id)) {
                    if (!statuses.isEmpty() && !statuses.contains(t.status)) continue;
                    if (!categories.isEmpty() && !categories.contains(t.category)) continue;
                    if (name != null && !t.name.contains(name)) continue;
                    if (language != null && !t.language.equals(language)) continue;
                    items.add(json(t, req.query.get("fields")));
                }
                return HttpResp.json(200, graph.page(items, req));
            }
            case "POST": {
                Store.Template t = create(graph, store, waba.id, req.jsonBody(), "PENDING", 250);
                graph.scheduleAutoReview(t);
                ObjectNode o = MetaJson.object();
                o.put("id", t.id);
                o.put("status", t.status);
                o.put("category", t.category);
                return HttpResp.json(200, o);
            }
            case "DELETE": {
                String name = req.query.get("name");
                String hsmId = req.query.get("hsm_id");
                if (name == null || name.isBlank()) throw GraphApi.paramRequired("name");
                List<String> ids = new ArrayList<>();
                for (Store.Template t : store.templatesOf(waba.id)) {
                    if (t.name.equals(name) && (hsmId == null || t.id.equals(hsmId))) ids.add(t.id);
                }
                if (ids.isEmpty()) {
                    throw GraphException.invalidParam("Message template " + name
                            + (hsmId == null ? "" : " with hsm_id " + hsmId) + " was not found")
                            .userText("Message template not found", "The message template you are trying to delete does not exist.");
                }
                for (String id : ids) store.templates.remove(id);
                return GraphApi.success();
            }
            default:
                throw GraphException.notFound(waba.id, req.method.toLowerCase(Locale.ROOT));
        }
    }

    static ObjectNode json(Store.Template t, String fields) {
        Map<String, Function<Store.Template, Object>> all = new LinkedHashMap<>();
        all.put("name", x -> x.name);
        all.put("parameter_format", x -> x.parameterFormat);
        all.put("components", x -> x.components.deepCopy());
        all.put("language", x -> x.language);
        all.put("status", x -> x.status);
        all.put("category", x -> x.category);
        all.put("id", x -> x.id);
        all.put("rejected_reason", x -> x.status.equals("REJECTED") ? "INVALID_FORMAT" : "NONE");
        all.put("quality_score", x -> {
            ObjectNode q = MetaJson.object();
            q.put("score", "UNKNOWN");
            return q;
        });
        List<String> wanted = new ArrayList<>();
        if (fields == null || fields.isBlank()) {
            wanted.addAll(DEFAULT_FIELDS);
        } else {
            for (String f : fields.split(",")) {
                String n = f.trim();
                if (n.isEmpty()) continue;
                if (!all.containsKey(n)) throw GraphApi.nonexistingField(n, "WhatsAppBusinessHSM");
                if (!wanted.contains(n)) wanted.add(n);
            }
            if (!wanted.contains("id")) wanted.add("id");
        }
        ObjectNode o = MetaJson.object();
        for (String f : wanted) {
            Object v = all.get(f).apply(t);
            if (v instanceof JsonNode) o.set(f, (JsonNode) v); else o.put(f, String.valueOf(v));
        }
        return o;
    }

    static Store.Template create(GraphApi graph, Store store, String wabaId, ObjectNode b, String status, int max) {
        String name = MetaJson.str(b, "name");
        if (name == null) throw GraphApi.paramRequired("name");
        if (!NAME.matcher(name).matches()) {
            throw GraphException.invalidParam("Param name must match ^[a-z0-9_]+$ and be at most 512 characters: '"
                    + name + "'").userText("Invalid template name",
                    "Template names can only contain lowercase letters, numbers and underscores.");
        }
        String language = MetaJson.str(b, "language");
        if (language == null || language.isBlank()) throw GraphApi.paramRequired("language");
        String category = MetaJson.str(b, "category");
        if (category == null) throw GraphApi.paramRequired("category");
        category = normaliseCategory(category.toUpperCase(Locale.ROOT));
        if (!CATEGORIES.contains(category)) {
            throw GraphException.invalidParam("Param category must be one of {AUTHENTICATION, MARKETING, UTILITY}");
        }
        String format = MetaJson.str(b, "parameter_format");
        format = format == null ? "POSITIONAL" : format.toUpperCase(Locale.ROOT);
        if (!format.equals("POSITIONAL") && !format.equals("NAMED")) {
            throw GraphException.invalidParam("Param parameter_format must be one of {NAMED, POSITIONAL}");
        }
        JsonNode comps = b.get("components");
        if (comps == null || !comps.isArray() || comps.isEmpty()) throw GraphApi.paramRequired("components");
        ArrayNode stored = MetaJson.array();
        boolean hasBody = false;
        for (int i = 0; i < comps.size(); i++) {
            JsonNode c = comps.get(i);
            String type = MetaJson.str(c, "type");
            if (type == null) throw GraphException.invalidParam("Param components[" + i + "]['type'] is required");
            type = type.toUpperCase(Locale.ROOT);
            if (!Set.of("HEADER", "BODY", "FOOTER", "BUTTONS").contains(type)) {
                throw GraphException.invalidParam("Param components[" + i + "]['type'] must be one of {HEADER, BODY, FOOTER, BUTTONS}");
            }
            ObjectNode copy = ((ObjectNode) c).deepCopy();
            copy.put("type", type);
            if (type.equals("BODY")) {
                hasBody = true;
                String text = MetaJson.str(c, "text");
                if (text == null || text.isBlank()) throw GraphException.invalidParam("Param components[" + i + "]['text'] is required for BODY");
                if (text.length() > 1024) throw GraphException.invalidParam("Param components[" + i + "]['text'] must be at most 1024 characters");
                checkVariables(text, format, "BODY");
            }
            if (type.equals("HEADER")) {
                String f = MetaJson.str(c, "format");
                if (f == null) throw GraphException.invalidParam("Param components[" + i + "]['format'] is required for HEADER");
                copy.put("format", f.toUpperCase(Locale.ROOT));
                if (f.equalsIgnoreCase("TEXT")) {
                    String text = MetaJson.str(c, "text");
                    if (text == null || text.length() > 60) throw GraphException.invalidParam("Param components[" + i + "]['text'] of a TEXT header must be 1 to 60 characters");
                    checkVariables(text, format, "HEADER");
                }
            }
            if (type.equals("BUTTONS")) {
                JsonNode buttons = c.get("buttons");
                if (buttons == null || !buttons.isArray() || buttons.isEmpty()) {
                    throw GraphException.invalidParam("Param components[" + i + "]['buttons'] is required for BUTTONS");
                }
                if (buttons.size() > 10) throw GraphException.invalidParam("A template can have at most 10 buttons");
            }
            stored.add(copy);
        }
        if (!hasBody) throw GraphException.invalidParam("A template needs a BODY component");
        List<Store.Template> existing = store.templatesOf(wabaId);
        for (Store.Template t : existing) {
            if (t.name.equals(name) && t.language.equals(language)) {
                throw GraphException.graph(400, 100, 2388024, "OAuthException", "Invalid parameter")
                        .userText("Content in This Language Already Exists",
                                "There is already " + language + " content for this template. You can create a new"
                                        + " template and try again.");
            }
        }
        if (existing.size() >= max) {
            throw GraphException.graph(400, 100, 2388019, "OAuthException", "Invalid parameter")
                    .userText("Message Template Limit Reached", "This WhatsApp Business Account has reached its"
                            + " limit of " + max + " message templates.");
        }
        return graph.insertTemplate(wabaId, name, language, category, status, stored, format);
    }

    private static String normaliseCategory(String c) {
        switch (c) {
            case "TRANSACTIONAL": case "ACCOUNT_UPDATE": case "PAYMENT_UPDATE": case "SHIPPING_UPDATE":
            case "RESERVATION_UPDATE": case "ISSUE_RESOLUTION": case "APPOINTMENT_UPDATE": case "TRANSPORTATION_UPDATE":
            case "TICKET_UPDATE": case "ALERT_UPDATE": case "PERSONAL_FINANCE_UPDATE":
                return "UTILITY";
            case "OTP":
                return "AUTHENTICATION";
            case "AUTO_REPLY":
                return "MARKETING";
            default:
                return c;
        }
    }

    /** Positional variables must be {{1}}..{{n}} without gaps; named ones lowercase letters, digits, underscores. */
    private static void checkVariables(String text, String format, String where) {
        Matcher m = ANY_VAR.matcher(text);
        Set<Integer> nums = new TreeSet<>();
        Set<String> names = new HashSet<>();
        while (m.find()) {
            String v = m.group(1);
            if (format.equals("POSITIONAL")) {
                if (!v.matches("\\d+")) {
                    throw GraphException.invalidParam(where + " variable {{" + v + "}} is not positional; use {{1}}, {{2}}, ..."
                            + " or set parameter_format NAMED");
                }
                nums.add(Integer.parseInt(v));
            } else {
                if (!v.matches("[a-z_][a-z0-9_]*")) {
                    throw GraphException.invalidParam(where + " variable {{" + v + "}} must be lowercase letters, digits and underscores");
                }
                names.add(v);
            }
        }
        int expected = 1;
        for (int n : nums) {
            if (n != expected++) {
                throw GraphException.invalidParam(where + " variables must be sequential starting at {{1}}, found " + nums);
            }
        }
    }

    private static Set<String> csv(String s) {
        Set<String> set = new HashSet<>();
        if (s == null) return set;
        for (String p : s.split(",")) if (!p.isBlank()) set.add(p.trim().toUpperCase(Locale.ROOT));
        return set;
    }
}
