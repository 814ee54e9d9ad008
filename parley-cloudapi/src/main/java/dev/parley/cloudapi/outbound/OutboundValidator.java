package dev.parley.cloudapi.outbound;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Checks a send body in Meta's own JSON shape ({@code POST /{phone_number_id}/messages}) against the rules Meta
 * enforces, before anything is sent. {@link #validate(JsonNode)} returns every {@link Violation} (empty when the
 * body is fine); each names a stable {@link Violation#rule()} and says the limit in its message. The
 * {@link OutboundMessage} builders run the same checks.
 *
 * <p>Limits come from the facts sheet (text body 4096, interactive body 1024, 3 reply buttons, cta_url display
 * text 20, header and footer 60, caption only on image/video/document, filename only on document) and from
 * Meta's interactive-message reference (button title 20, button id 256, list button 20, at most 10 sections and
 * 10 rows in all, section and row title 24, row description 72, row id 200). Unknown fields are not checked,
 * so new Meta fields pass through.
 */
public final class OutboundValidator {

    public static final int TEXT_BODY_MAX = 4096;
    public static final int CAPTION_MAX = 1024;
    public static final int INTERACTIVE_BODY_MAX = 1024;
    public static final int HEADER_TEXT_MAX = 60;
    public static final int FOOTER_TEXT_MAX = 60;
    public static final int REPLY_BUTTONS_MAX = 3;
    public static final int BUTTON_TITLE_MAX = 20;
    public static final int BUTTON_ID_MAX = 256;
    public static final int LIST_BUTTON_MAX = 20;
    public static final int LIST_SECTIONS_MAX = 10;
    public static final int LIST_ROWS_MAX = 10;
    public static final int SECTION_TITLE_MAX = 24;
    public static final int ROW_TITLE_MAX = 24;
    public static final int ROW_DESCRIPTION_MAX = 72;
    public static final int ROW_ID_MAX = 200;
    public static final int CTA_DISPLAY_TEXT_MAX = 20;
    public static final int BIZ_OPAQUE_MAX = 512;
    public static final int TEMPLATE_BUTTON_INDEX_MAX = 9;

    public static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");
    public static final Set<String> TYPES = Set.of("text", "image", "video", "audio", "document", "sticker",
            "location", "contacts", "interactive", "reaction", "template");
    private static final Set<String> INTERACTIVE_TYPES = Set.of("button", "list", "cta_url", "product",
            "product_list", "catalog_message", "flow", "location_request_message", "call_permission_request",
            "address_message", "voice_call");
    private static final Set<String> HEADER_TYPES = Set.of("text", "image", "video", "document");
    private static final Set<String> TEMPLATE_COMPONENT_TYPES = Set.of("header", "body", "button",
            "limited_time_offer", "carousel", "footer");
    private static final Set<String> TEMPLATE_BUTTON_SUB_TYPES = Set.of("quick_reply", "url", "copy_code", "flow",
            "catalog", "mpm", "voice_call", "order_details");
    private static final Pattern RECIPIENT_SEPARATORS = Pattern.compile("[\\s\\-().]");
    private static final Pattern E164_DIGITS = Pattern.compile("[1-9]\\d{6,14}");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");

    private OutboundValidator() {
    }

    /** Every rule the body breaks, in document order; empty when Meta would accept its shape. */
    public static List<Violation> validate(JsonNode body) {
        Run run = new Run();
        run.message(body);
        return List.copyOf(run.out);
    }

    /** Throws {@link InvalidMessageException} naming every broken rule. */
    public static void check(JsonNode body) {
        List<Violation> v = validate(body);
        if (!v.isEmpty()) throw new InvalidMessageException(v);
    }

    /**
     * Whether {@code to} is a phone number Meta accepts: E.164 digits (7 to 15, not starting with 0), optionally
     * with a leading {@code +} and spaces, dashes, dots or parentheses between digits.
     */
    public static boolean isValidRecipient(String to) {
        if (to == null) return false;
        String s = to.trim();
        if (s.startsWith("+")) s = s.substring(1);
        s = RECIPIENT_SEPARATORS.matcher(s).replaceAll("");
        return E164_DIGITS.matcher(s).matches();
    }

    /** Whether {@code url} is an absolute http(s) URL with a host. */
    public static boolean isValidLink(String url) {
        if (url == null || url.isBlank() || url.chars().anyMatch(Character::isWhitespace)) return false;
        try {
            URI u = new URI(url);
            String scheme = u.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && u.getHost() != null && !u.getHost().isBlank();
        } catch (Exception e) {
            return false;
        }
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static final class Run {
        final List<Violation> out = new ArrayList<>();

        void add(String path, String rule, String message) {
            out.add(new Violation(path, rule, message));
        }

        // ---------------------------------------------------------------- helpers

        static JsonNode field(JsonNode parent, String name) {
            if (parent == null || !parent.isObject()) return null;
            JsonNode v = parent.get(name);
            return v == null || v.isNull() || v.isMissingNode() ? null : v;
        }

        /** A string field: null when absent; a violation (and null) when present but not a string. */
        String string(JsonNode parent, String name, String path) {
            JsonNode v = field(parent, name);
            if (v == null) return null;
            if (!v.isString()) {
                add(path, rule(path) + ".type", path + " must be a string");
                return null;
            }
            return v.asString();
        }

        /** A required, non-blank string with a maximum length (0 = no maximum). */
        String requiredText(JsonNode parent, String name, String path, String ruleBase, int max, String what) {
            String s = string(parent, name, path);
            if (s == null || s.isBlank()) {
                if (field(parent, name) == null || s != null) {
                    add(path, ruleBase + ".required", what + " (" + path + ") is required and must not be empty");
                }
                return null;
            }
            maxLength(s, path, ruleBase, max, what);
            return s;
        }

        void maxLength(String s, String path, String ruleBase, int max, String what) {
            if (s != null && max > 0 && length(s) > max) {
                add(path, ruleBase + ".max_length", what + " (" + path + ") must be at most " + max
                        + " characters, got " + length(s));
            }
        }

        static String rule(String path) {
            return path.replaceAll("\\[\\d+]", "");
        }

        JsonNode object(JsonNode parent, String name, String path, boolean required, String ruleBase, String what) {
            JsonNode v = field(parent, name);
            if (v == null) {
                if (required) add(path, ruleBase + ".required", what + " (" + path + ") is required");
                return null;
            }
            if (!v.isObject()) {
                add(path, ruleBase + ".type", what + " (" + path + ") must be a JSON object");
                return null;
            }
            return v;
        }

        JsonNode array(JsonNode parent, String name, String path, boolean required, String ruleBase, String what) {
            JsonNode v = field(parent, name);
            if (v == null) {
                if (required) add(path, ruleBase + ".required", what + " (" + path + ") is required");
                return null;
            }
            if (!v.isArray()) {
                add(path, ruleBase + ".type", what + " (" + path + ") must be a JSON array");
                return null;
            }
            return v;
        }

        // ---------------------------------------------------------------- envelope

        void message(JsonNode body) {
            if (body == null || !body.isObject()) {
                add("", "body.object", "the send body must be a JSON object");
                return;
            }
            String product = string(body, "messaging_product", "messaging_product");
            if (!"whatsapp".equals(product)) {
                add("messaging_product", "messaging_product.invalid", "messaging_product must be \"whatsapp\"");
            }
            String recipientType = string(body, "recipient_type", "recipient_type");
            if (recipientType != null && !recipientType.equals("individual") && !recipientType.equals("group")) {
                add("recipient_type", "recipient_type.invalid",
                        "recipient_type must be \"individual\" or \"group\", got \"" + recipientType + "\"");
            }
            String to = string(body, "to", "to");
            if (to == null || to.isBlank()) {
                add("to", "to.required", "the recipient (to) is required");
            } else if (!"group".equals(recipientType) && !isValidRecipient(to)) {
                add("to", "to.invalid", "the recipient (to) must be a phone number in E.164 form: 7 to 15 digits"
                        + " with the country code, optionally starting with +, got \"" + to + "\"");
            }
            String type = field(body, "type") == null ? "text" : string(body, "type", "type");
            if (type == null) return;
            JsonNode context = object(body, "context", "context", false, "context", "the reply context");
            if (context != null) {
                requiredText(context, "message_id", "context.message_id", "context.message_id", 0,
                        "the id of the message replied to");
            }
            String opaque = string(body, "biz_opaque_callback_data", "biz_opaque_callback_data");
            maxLength(opaque, "biz_opaque_callback_data", "biz_opaque_callback_data", BIZ_OPAQUE_MAX,
                    "biz_opaque_callback_data");
            if (!TYPES.contains(type)) {
                add("type", "type.unknown", "unknown message type \"" + type + "\"; expected one of "
                        + new java.util.TreeSet<>(TYPES));
                return;
            }
            if (type.equals("contacts")) {
                contacts(body);
                return;
            }
            JsonNode content = object(body, type, type, true, type, "the " + type + " object");
            if (content == null) return;
            switch (type) {
                case "text" -> text(content);
                case "location" -> location(content);
                case "reaction" -> reaction(content);
                case "interactive" -> interactive(content);
                case "template" -> template(content);
                default -> media(type, content, type);
            }
        }

        // ---------------------------------------------------------------- types

        void text(JsonNode t) {
            requiredText(t, "body", "text.body", "text.body", TEXT_BODY_MAX, "the text body");
            JsonNode preview = field(t, "preview_url");
            if (preview != null && !preview.isBoolean()) {
                add("text.preview_url", "text.preview_url.type", "text.preview_url must be true or false");
            }
        }

        /** An image/video/audio/document/sticker object; {@code path} is where it is (type or header). */
        void media(String type, JsonNode m, String path) {
            mediaSource(m, path);
            String caption = string(m, "caption", path + ".caption");
            if (caption != null) {
                if (type.equals("audio") || type.equals("sticker")) {
                    add(path + ".caption", "media.caption.not_allowed", "a caption is only allowed on image, video"
                            + " and document, not on " + type);
                } else {
                    maxLength(caption, path + ".caption", "media.caption", CAPTION_MAX, "the caption");
                }
            }
            if (field(m, "filename") != null && !type.equals("document")) {
                add(path + ".filename", "media.filename.not_allowed", "a filename is only allowed on document, not on "
                        + type);
            }
        }

        void mediaSource(JsonNode m, String path) {
            String id = string(m, "id", path + ".id");
            String link = string(m, "link", path + ".link");
            boolean hasId = id != null && !id.isBlank();
            boolean hasLink = link != null && !link.isBlank();
            if (hasId && hasLink) {
                add(path, "media.source.exclusive", "media (" + path + ") takes either an id or a link, not both");
            } else if (!hasId && !hasLink) {
                add(path, "media.source.required", "media (" + path + ") needs an uploaded media id or a link");
            } else if (hasLink && !isValidLink(link)) {
                add(path + ".link", "media.link.invalid", "media link (" + path + ".link) must be an absolute"
                        + " http(s) URL, got \"" + link + "\"");
            }
        }

        void location(JsonNode l) {
            coordinate(l, "latitude", 90);
            coordinate(l, "longitude", 180);
            string(l, "name", "location.name");
            string(l, "address", "location.address");
        }

        void coordinate(JsonNode l, String name, double limit) {
            String path = "location." + name;
            JsonNode v = field(l, name);
            Double d = null;
            if (v != null && v.isNumber()) {
                d = v.asDouble();
            } else if (v != null && v.isString()) {
                try {
                    d = Double.parseDouble(v.asString().trim());
                } catch (NumberFormatException e) {
                    d = null;
                }
            }
            if (d == null) {
                add(path, path + ".required", "the " + name + " (" + path + ") is required and must be a number");
            } else if (d.isNaN() || d < -limit || d > limit) {
                add(path, path + ".range", "the " + name + " (" + path + ") must be between -" + (int) limit + " and "
                        + (int) limit + ", got " + d);
            }
        }

        void contacts(JsonNode body) {
            JsonNode cards = field(body, "contacts");
            if (cards == null || !cards.isArray() || cards.isEmpty()) {
                add("contacts", "contacts.required", "a contacts message needs at least one contact card (contacts[])");
                return;
            }
            for (int i = 0; i < cards.size(); i++) {
                String p = "contacts[" + i + "]";
                JsonNode card = cards.get(i);
                if (!card.isObject()) {
                    add(p, "contacts.card.type", "each contact card (" + p + ") must be a JSON object");
                    continue;
                }
                JsonNode name = object(card, "name", p + ".name", true, "contacts.name", "the contact's name");
                if (name != null) {
                    requiredText(name, "formatted_name", p + ".name.formatted_name", "contacts.name.formatted_name", 0,
                            "the contact's formatted name");
                }
                JsonNode phones = array(card, "phones", p + ".phones", false, "contacts.phones", "the phones");
                if (phones != null) {
                    for (int j = 0; j < phones.size(); j++) {
                        requiredText(phones.get(j), "phone", p + ".phones[" + j + "].phone", "contacts.phones.phone", 0,
                                "the phone number");
                    }
                }
            }
        }

        void reaction(JsonNode r) {
            requiredText(r, "message_id", "reaction.message_id", "reaction.message_id", 0,
                    "the id of the message reacted to");
            JsonNode emoji = field(r, "emoji");
            if (emoji != null && !emoji.isString()) {
                add("reaction.emoji", "reaction.emoji.type", "reaction.emoji must be a string (empty removes it)");
            } else if (emoji != null) {
                String e = emoji.asString();
                if (!e.isEmpty() && (length(e) > 10 || e.chars().anyMatch(Character::isLetterOrDigit))) {
                    add("reaction.emoji", "reaction.emoji.invalid", "reaction.emoji must be a single emoji (or empty"
                            + " to remove the reaction), got \"" + e + "\"");
                }
            }
        }

        // ---------------------------------------------------------------- interactive

        void interactive(JsonNode in) {
            String type = string(in, "type", "interactive.type");
            if (type == null) {
                if (field(in, "type") == null) {
                    add("interactive.type", "interactive.type.required", "interactive.type is required (button, list,"
                            + " cta_url, ...)");
                }
                return;
            }
            if (!INTERACTIVE_TYPES.contains(type)) {
                add("interactive.type", "interactive.type.unknown", "unknown interactive type \"" + type
                        + "\"; expected one of " + new java.util.TreeSet<>(INTERACTIVE_TYPES));
                return;
            }
            boolean core = type.equals("button") || type.equals("list") || type.equals("cta_url");
            JsonNode body = object(in, "body", "interactive.body", core, "interactive.body", "the message body");
            if (body != null) {
                if (core) {
                    requiredText(body, "text", "interactive.body.text", "interactive.body", INTERACTIVE_BODY_MAX,
                            "the interactive body text");
                } else {
                    maxLength(string(body, "text", "interactive.body.text"), "interactive.body.text",
                            "interactive.body", INTERACTIVE_BODY_MAX, "the interactive body text");
                }
            }
            JsonNode footer = object(in, "footer", "interactive.footer", false, "interactive.footer", "the footer");
            if (footer != null) {
                requiredText(footer, "text", "interactive.footer.text", "interactive.footer", FOOTER_TEXT_MAX,
                        "the footer text");
            }
            JsonNode header = object(in, "header", "interactive.header", false, "interactive.header", "the header");
            if (header != null) header(header, type);
            JsonNode action = object(in, "action", "interactive.action", true, "interactive.action", "the action");
            if (action == null) return;
            switch (type) {
                case "button" -> buttons(action);
                case "list" -> list(action);
                case "cta_url" -> ctaUrl(action);
                default -> {
                }
            }
        }

        void header(JsonNode h, String interactiveType) {
            String ht = requiredText(h, "type", "interactive.header.type", "interactive.header.type", 0,
                    "the header type");
            if (ht == null) return;
            if (!HEADER_TYPES.contains(ht)) {
                add("interactive.header.type", "interactive.header.type.unknown", "the header type must be one of"
                        + " text, image, video, document, got \"" + ht + "\"");
                return;
            }
            if (interactiveType.equals("list") && !ht.equals("text")) {
                add("interactive.header.type", "interactive.list.header.text_only",
                        "a list message's header can only be text, got " + ht);
                return;
            }
            if (ht.equals("text")) {
                requiredText(h, "text", "interactive.header.text", "interactive.header.text", HEADER_TEXT_MAX,
                        "the header text");
            } else {
                JsonNode m = object(h, ht, "interactive.header." + ht, true, "interactive.header.media",
                        "the header " + ht);
                if (m != null) mediaSource(m, "interactive.header." + ht);
            }
        }

        void buttons(JsonNode action) {
            JsonNode buttons = array(action, "buttons", "interactive.action.buttons", true, "interactive.buttons",
                    "the reply buttons");
            if (buttons == null) return;
            if (buttons.isEmpty()) {
                add("interactive.action.buttons", "interactive.buttons.required",
                        "an interactive button message needs 1 to " + REPLY_BUTTONS_MAX + " reply buttons, got 0");
            }
            if (buttons.size() > REPLY_BUTTONS_MAX) {
                add("interactive.action.buttons", "interactive.buttons.max", "interactive button messages allow at"
                        + " most " + REPLY_BUTTONS_MAX + " reply buttons, got " + buttons.size());
            }
            Set<String> ids = new HashSet<>();
            Set<String> titles = new HashSet<>();
            for (int i = 0; i < buttons.size(); i++) {
                String p = "interactive.action.buttons[" + i + "]";
                JsonNode b = buttons.get(i);
                String bt = string(b, "type", p + ".type");
                if (!"reply".equals(bt)) {
                    add(p + ".type", "interactive.button.type", "each button's type (" + p + ".type) must be"
                            + " \"reply\"");
                }
                JsonNode reply = object(b, "reply", p + ".reply", true, "interactive.button.reply", "the reply");
                if (reply == null) continue;
                String id = requiredText(reply, "id", p + ".reply.id", "interactive.button.id", BUTTON_ID_MAX,
                        "the button id");
                String title = requiredText(reply, "title", p + ".reply.title", "interactive.button.title",
                        BUTTON_TITLE_MAX, "the button title");
                if (id != null && !ids.add(id)) {
                    add(p + ".reply.id", "interactive.button.id.duplicate", "button ids must be unique; \"" + id
                            + "\" is used twice");
                }
                if (title != null && !titles.add(title)) {
                    add(p + ".reply.title", "interactive.button.title.duplicate", "button titles must be unique; \""
                            + title + "\" is used twice");
                }
            }
        }

        void list(JsonNode action) {
            requiredText(action, "button", "interactive.action.button", "interactive.list.button", LIST_BUTTON_MAX,
                    "the list's button text");
            JsonNode sections = array(action, "sections", "interactive.action.sections", true,
                    "interactive.list.sections", "the list sections");
            if (sections == null) return;
            if (sections.isEmpty()) {
                add("interactive.action.sections", "interactive.list.sections.required",
                        "a list message needs at least one section");
                return;
            }
            if (sections.size() > LIST_SECTIONS_MAX) {
                add("interactive.action.sections", "interactive.list.sections.max", "a list message allows at most "
                        + LIST_SECTIONS_MAX + " sections, got " + sections.size());
            }
            int rows = 0;
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < sections.size(); i++) {
                String p = "interactive.action.sections[" + i + "]";
                JsonNode s = sections.get(i);
                if (!s.isObject()) {
                    add(p, "interactive.list.section.type", "each section (" + p + ") must be a JSON object");
                    continue;
                }
                if (sections.size() > 1) {
                    requiredText(s, "title", p + ".title", "interactive.list.section.title", SECTION_TITLE_MAX,
                            "the section title (required when there is more than one section)");
                } else {
                    maxLength(string(s, "title", p + ".title"), p + ".title", "interactive.list.section.title",
                            SECTION_TITLE_MAX, "the section title");
                }
                JsonNode r = array(s, "rows", p + ".rows", true, "interactive.list.rows", "the section's rows");
                if (r == null) continue;
                if (r.isEmpty()) {
                    add(p + ".rows", "interactive.list.rows.required", "each section needs at least one row");
                }
                for (int j = 0; j < r.size(); j++) {
                    String rp = p + ".rows[" + j + "]";
                    JsonNode row = r.get(j);
                    rows++;
                    String id = requiredText(row, "id", rp + ".id", "interactive.list.row.id", ROW_ID_MAX,
                            "the row id");
                    requiredText(row, "title", rp + ".title", "interactive.list.row.title", ROW_TITLE_MAX,
                            "the row title");
                    maxLength(string(row, "description", rp + ".description"), rp + ".description",
                            "interactive.list.row.description", ROW_DESCRIPTION_MAX, "the row description");
                    if (id != null && !ids.add(id)) {
                        add(rp + ".id", "interactive.list.row.id.duplicate", "row ids must be unique across the list;"
                                + " \"" + id + "\" is used twice");
                    }
                }
            }
            if (rows > LIST_ROWS_MAX) {
                add("interactive.action.sections", "interactive.list.rows.max", "a list message allows at most "
                        + LIST_ROWS_MAX + " rows in all sections together, got " + rows);
            }
        }

        void ctaUrl(JsonNode action) {
            String name = string(action, "name", "interactive.action.name");
            if (!"cta_url".equals(name)) {
                add("interactive.action.name", "interactive.cta_url.name", "a cta_url message's action.name must be"
                        + " \"cta_url\"");
            }
            JsonNode params = object(action, "parameters", "interactive.action.parameters", true,
                    "interactive.cta_url.parameters", "the cta_url parameters");
            if (params == null) return;
            requiredText(params, "display_text", "interactive.action.parameters.display_text",
                    "interactive.cta_url.display_text", CTA_DISPLAY_TEXT_MAX, "the button's display text");
            String url = requiredText(params, "url", "interactive.action.parameters.url", "interactive.cta_url.url", 0,
                    "the button's URL");
            if (url != null && !isValidLink(url)) {
                add("interactive.action.parameters.url", "interactive.cta_url.url.invalid", "the cta_url URL must be"
                        + " an absolute http(s) URL, got \"" + url + "\"");
            }
        }

        // ---------------------------------------------------------------- template

        void template(JsonNode t) {
            String name = requiredText(t, "name", "template.name", "template.name", 0, "the template name");
            if (name != null && !TEMPLATE_NAME.matcher(name).matches()) {
                add("template.name", "template.name.invalid", "a template name has only lowercase letters, digits"
                        + " and underscores (at most 512), got \"" + name + "\"");
            }
            JsonNode language = object(t, "language", "template.language", true, "template.language",
                    "the template language");
            if (language != null) {
                requiredText(language, "code", "template.language.code", "template.language.code", 0,
                        "the template language code (e.g. en_US)");
            }
            JsonNode components = array(t, "components", "template.components", false, "template.components",
                    "the template components");
            if (components == null) return;
            for (int i = 0; i < components.size(); i++) {
                String p = "template.components[" + i + "]";
                JsonNode c = components.get(i);
                if (!c.isObject()) {
                    add(p, "template.component.type", "each component (" + p + ") must be a JSON object");
                    continue;
                }
                String ct = requiredText(c, "type", p + ".type", "template.component.type", 0, "the component type");
                if (ct == null) continue;
                String lower = ct.toLowerCase(java.util.Locale.ROOT);
                if (!TEMPLATE_COMPONENT_TYPES.contains(lower)) {
                    add(p + ".type", "template.component.type.unknown", "unknown template component type \"" + ct
                            + "\"; expected header, body or button");
                    continue;
                }
                if (lower.equals("button")) {
                    String sub = requiredText(c, "sub_type", p + ".sub_type", "template.button.sub_type", 0,
                            "a button component's sub_type (quick_reply, url, copy_code, ...)");
                    if (sub != null && !TEMPLATE_BUTTON_SUB_TYPES.contains(sub.toLowerCase(java.util.Locale.ROOT))) {
                        add(p + ".sub_type", "template.button.sub_type.unknown", "unknown button sub_type \"" + sub
                                + "\"");
                    }
                    buttonIndex(c, p);
                }
                JsonNode params = array(c, "parameters", p + ".parameters", false, "template.parameters",
                        "the parameters");
                if (params == null) continue;
                for (int j = 0; j < params.size(); j++) parameter(params.get(j), p + ".parameters[" + j + "]");
            }
        }

        void buttonIndex(JsonNode c, String p) {
            JsonNode idx = field(c, "index");
            Integer i = null;
            if (idx != null && idx.isIntegralNumber()) {
                i = idx.asInt();
            } else if (idx != null && idx.isString()) {
                try {
                    i = Integer.parseInt(idx.asString().trim());
                } catch (NumberFormatException e) {
                    i = null;
                }
            }
            if (i == null || i < 0 || i > TEMPLATE_BUTTON_INDEX_MAX) {
                add(p + ".index", "template.button.index.invalid", "a button component needs an index from 0 to "
                        + TEMPLATE_BUTTON_INDEX_MAX + " (the button's position in the template)");
            }
        }

        void parameter(JsonNode param, String p) {
            if (!param.isObject()) {
                add(p, "template.parameter.type", "each parameter (" + p + ") must be a JSON object");
                return;
            }
            String type = requiredText(param, "type", p + ".type", "template.parameter.type", 0,
                    "the parameter type");
            if (type == null) return;
            switch (type) {
                case "text" -> requiredText(param, "text", p + ".text", "template.parameter.text", 0,
                        "a text parameter's text");
                case "payload" -> requiredText(param, "payload", p + ".payload", "template.parameter.payload", 0,
                        "a quick reply button's payload");
                case "coupon_code" -> requiredText(param, "coupon_code", p + ".coupon_code",
                        "template.parameter.coupon_code", 0, "the coupon code");
                case "currency" -> {
                    JsonNode cur = object(param, "currency", p + ".currency", true, "template.parameter.currency",
                            "the currency");
                    if (cur != null) {
                        requiredText(cur, "fallback_value", p + ".currency.fallback_value",
                                "template.parameter.currency.fallback_value", 0, "the currency fallback value");
                        requiredText(cur, "code", p + ".currency.code", "template.parameter.currency.code", 0,
                                "the ISO 4217 currency code");
                        JsonNode amount = field(cur, "amount_1000");
                        if (amount == null || !amount.isIntegralNumber()) {
                            add(p + ".currency.amount_1000", "template.parameter.currency.amount_1000.required",
                                    "the currency amount_1000 (the amount times 1000) is required and must be an"
                                            + " integer");
                        }
                    }
                }
                case "date_time" -> {
                    JsonNode dt = object(param, "date_time", p + ".date_time", true, "template.parameter.date_time",
                            "the date_time");
                    if (dt != null) {
                        requiredText(dt, "fallback_value", p + ".date_time.fallback_value",
                                "template.parameter.date_time.fallback_value", 0, "the date_time fallback value");
                    }
                }
                case "image", "video", "document" -> {
                    JsonNode m = object(param, type, p + "." + type, true, "template.parameter.media",
                            "the " + type);
                    if (m != null) mediaSource(m, p + "." + type);
                }
                default -> {
                    // other parameter types (location, action, product, ...) are passed on unchecked
                }
            }
        }
    }
}
