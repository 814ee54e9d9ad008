package dev.parley.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /{phone_number_id}/messages}: validation of every message type as Meta does it, acceptance, and the
 * asynchronous status progression (sent → delivered → read, or failed with 131047 / 131026 / 131053).
 * Called with the store's monitor held.
 */
final class Messages {
    static final Set<String> TYPES = new LinkedHashSet<>(List.of("text", "image", "video", "audio", "document",
            "sticker", "location", "contacts", "interactive", "reaction", "template"));
    static final Set<String> INTERACTIVE_TYPES = Set.of("button", "list", "cta_url", "product", "product_list", "flow",
            "location_request_message", "catalog_message", "address_message", "call_permission_request");
    private static final Pattern POSITIONAL_VAR = Pattern.compile("\\{\\{\\s*(\\d+)\\s*}}");
    private static final Pattern NAMED_VAR = Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*}}");
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private Messages() {}

    /** A failure decided at acceptance and reported asynchronously with the failed status. */
    record Failure(int code, String title, String details) {}

    static HttpResp send(CloudApiEmulator emu, HttpReq req, Store.PhoneNumber pn, int major) {
        Store store = emu.store;
        ObjectNode b = req.jsonBody();
        GraphApi.requireMessagingProduct(b);
        if (b.has("status")) return markRead(store, b, pn);
        if (!pn.registered) {
            throw GraphException.wa(133010, "Account not registered",
                    "The phone number " + pn.display + " is not registered on the Cloud API. Register it first.");
        }
        long now = System.nanoTime();
        ArrayDeque<Long> recent = GraphApi.trim(pn.sendTimes, now, SECOND);
        if (recent.size() >= emu.options.throughputPerSecond()) throw GraphApi.throughputError();

        String toInput = requireTopString(b, "to");
        String to = toInput.replaceAll("[+\\-() ]", "");
        if (!to.matches("\\d{5,15}")) {
            throw GraphException.invalidValue("Param to must be a valid phone number, was '" + toInput + "'");
        }
        String rt = MetaJson.str(b, "recipient_type");
        if (b.has("recipient_type") && (rt == null || !rt.equals("individual"))) {
            throw GraphException.invalidValue("Param recipient_type must be one of {individual}"
                    + " (group messaging is not emulated)");
        }
        String type = b.has("type") ? MetaJson.str(b, "type") : "text";
        if (type == null || !TYPES.contains(type)) {
            throw GraphException.invalidParam("Param type must be one of " + braces(TYPES) + ", was "
                    + (b.has("type") ? b.get("type").toString() : "null"));
        }
        if (b.has("context")) {
            JsonNode ctx = b.get("context");
            if (!ctx.isObject() || MetaJson.str(ctx, "message_id") == null || MetaJson.str(ctx, "message_id").isBlank()) {
                throw GraphException.invalidValue("Param context['message_id'] must be a message id string");
            }
        }
        String opaque = null;
        if (b.has("biz_opaque_callback_data")) {
            opaque = MetaJson.str(b, "biz_opaque_callback_data");
            if (opaque == null || opaque.length() > 512) {
                throw GraphException.invalidValue("Param biz_opaque_callback_data must be a string of at most 512 characters");
            }
        }
        Store.Waba waba = store.wabaOfNumber(pn);
        JsonNode obj = b.get(type);
        if (obj == null || obj.isNull()) throw missing(type);
        if (!obj.isObject() && !(type.equals("contacts") && obj.isArray())) {
            throw GraphException.invalidValue("Param " + type + " must be " + (type.equals("contacts") ? "an array" : "an object"));
        }
        Failure failure = null;
        Store.Template template = null;
        switch (type) {
            case "text": text(obj); break;
            case "image": case "video": case "audio": case "document": case "sticker":
                failure = media(store, pn, type, obj);
                break;
            case "location": location(obj); break;
            case "contacts": contacts(obj); break;
            case "interactive": interactive(obj); break;
            case "reaction": reaction(obj); break;
            case "template": template = template(store, waba, obj); break;
            default: throw new IllegalStateException(type);
        }
        if (to.equals(pn.display.replaceAll("\\D", ""))) {
            throw GraphException.wa(131021, "Recipient cannot be sender", "Sender and recipient phone number is the same.");
        }
        int pairLimit = emu.options.pairRateLimit();
        if (pairLimit > 0) {
            ArrayDeque<Long> pair = GraphApi.trim(pn.pairTimes.computeIfAbsent(to, k -> new ArrayDeque<>()), now,
                    emu.options.pairRateWindow().toNanos());
            if (pair.size() >= pairLimit) {
                throw GraphException.wa(131056, "(Business Account, Consumer Account) pair rate limit hit",
                        "Message failed to send because there were too many messages sent from this phone number"
                                + " to the same phone number in a short period of time.");
            }
            pair.addLast(now);
        }
        recent.addLast(now);

        // accepted: the rest is asynchronous, as with Meta
        if (store.notOnWhatsApp.contains(to)) {
            failure = new Failure(131026, "Message undeliverable", "Message Undeliverable.");
        } else if (failure == null && template == null) {
            Instant last = pn.lastInboundByCustomer.get(to);
            if (last == null || !Instant.now().isBefore(last.plus(CloudApiEmulator.WINDOW))) {
                failure = new Failure(131047, "Re-engagement message", "Message failed to send because more than 24"
                        + " hours have passed since the customer last replied to this number.");
            }
        }
        String wamid = Ids.wamid();
        String category = template != null ? template.category.toLowerCase(Locale.ROOT) : "service";
        Store.OutMessage m = new Store.OutMessage(wamid, pn.id, to, type, req.bodyText(), Instant.now(), opaque,
                category, template != null, major);
        store.outbound.put(wamid, m);
        pn.sent.addLast(m);
        while (pn.sent.size() > emu.options.maxStoredMessagesPerNumber()) {
            store.outbound.remove(pn.sent.pollFirst().wamid);
        }
        scheduleProgression(emu, wamid, failure);

        ObjectNode resp = MetaJson.object();
        resp.put("messaging_product", "whatsapp");
        ObjectNode c = resp.putArray("contacts").addObject();
        c.put("input", toInput);
        c.put("wa_id", to);
        ObjectNode mo = resp.putArray("messages").addObject();
        mo.put("id", wamid);
        if (template != null) mo.put("message_status", "accepted");
        return HttpResp.json(200, resp);
    }

    // ---------------------------------------------------------------- mark as read

    private static HttpResp markRead(Store store, ObjectNode b, Store.PhoneNumber pn) {
        String status = MetaJson.str(b, "status");
        if (!"read".equals(status)) throw GraphException.invalidValue("Param status must be one of {read}");
        String id = MetaJson.str(b, "message_id");
        if (id == null || id.isBlank()) throw GraphApi.paramRequired("message_id");
        if (b.has("typing_indicator")) {
            JsonNode ti = b.get("typing_indicator");
            if (!ti.isObject() || !"text".equals(MetaJson.str(ti, "type"))) {
                throw GraphException.invalidValue("Param typing_indicator['type'] must be one of {text}");
            }
        }
        Store.InboundMessage m = store.inbound.get(id);
        if (m == null || !m.phoneNumberId.equals(pn.id)) {
            throw GraphException.invalidParam("Message " + id + " was not received by phone number " + pn.id);
        }
        for (Store.InboundMessage o : store.inbound.values()) {
            if (o.phoneNumberId.equals(pn.id) && o.from.equals(m.from) && !o.at.isAfter(m.at)) o.status = "read";
        }
        m.status = "read";
        return GraphApi.success();
    }

    // ---------------------------------------------------------------- progression

    private static void scheduleProgression(CloudApiEmulator emu, String wamid, Failure failure) {
        EmulatorOptions o = emu.options;
        later(emu, o.sentDelay(), () -> {
            Store.OutMessage m = emu.store.outbound.get(wamid);
            if (m == null || !m.status.equals("accepted")) return null;
            if (failure != null) return failedUpdate(emu.store, m, failure);
            return statusUpdate(emu.store, m, "sent", true);
        });
        if (failure != null) return;
        later(emu, o.deliveredDelay(), () -> {
            Store.OutMessage m = emu.store.outbound.get(wamid);
            if (m == null || !m.status.equals("sent")) return null;
            return statusUpdate(emu.store, m, "delivered", true);
        });
        if (!o.autoRead()) return;
        later(emu, o.readDelay(), () -> {
            Store.OutMessage m = emu.store.outbound.get(wamid);
            if (m == null || !m.status.equals("delivered")) return null;
            return statusUpdate(emu.store, m, "read", false);
        });
    }

    private interface Step {
        WebhookDispatcher.Update run();
    }

    private static void later(CloudApiEmulator emu, Duration d, Step step) {
        try {
            emu.scheduler.schedule(() -> {
                WebhookDispatcher.Update u;
                synchronized (emu.store) {
                    u = step.run();
                }
                if (u != null) emu.webhooks.enqueue(u);
            }, d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Moves the message to {@code status} and builds its status webhook (store monitor held). */
    static WebhookDispatcher.Update statusUpdate(Store store, Store.OutMessage m, String status, boolean pricing) {
        m.status = status;
        Store.PhoneNumber pn = store.numbers.get(m.phoneNumberId);
        ObjectNode s = MetaJson.object();
        s.put("id", m.wamid);
        s.put("status", status);
        s.put("timestamp", Long.toString(Instant.now().getEpochSecond()));
        s.put("recipient_id", m.to);
        if (m.bizOpaque != null) s.put("biz_opaque_callback_data", m.bizOpaque);
        if (m.apiMajorVersion < 24) {
            ObjectNode conv = s.putObject("conversation");
            conv.put("id", CloudApiEmulator.sha256Hex((m.phoneNumberId + "|" + m.to + "|" + m.pricingCategory)
                    .getBytes(StandardCharsets.UTF_8)).substring(0, 32));
            if (status.equals("sent")) {
                conv.put("expiration_timestamp", Long.toString(m.acceptedAt.plus(CloudApiEmulator.WINDOW).getEpochSecond()));
            }
            conv.putObject("origin").put("type", m.pricingCategory);
        }
        if (pricing) {
            ObjectNode p = s.putObject("pricing");
            p.put("billable", m.template);
            p.put("pricing_model", "PMP");
            p.put("type", m.template ? "regular" : "free_customer_service");
            p.put("category", m.pricingCategory);
        }
        return WebhookDispatcher.Update.status(pn.wabaId, pn.id, pn.display, s);
    }

    private static WebhookDispatcher.Update failedUpdate(Store store, Store.OutMessage m, Failure f) {
        m.status = "failed";
        m.errorCode = f.code();
        Store.PhoneNumber pn = store.numbers.get(m.phoneNumberId);
        ObjectNode s = MetaJson.object();
        s.put("id", m.wamid);
        s.put("status", "failed");
        s.put("timestamp", Long.toString(Instant.now().getEpochSecond()));
        s.put("recipient_id", m.to);
        if (m.bizOpaque != null) s.put("biz_opaque_callback_data", m.bizOpaque);
        ObjectNode e = s.putArray("errors").addObject();
        e.put("code", f.code());
        e.put("title", f.title());
        e.put("message", f.title());
        e.putObject("error_data").put("details", f.details());
        e.put("href", "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/");
        return WebhookDispatcher.Update.status(pn.wabaId, pn.id, pn.display, s);
    }

    // ---------------------------------------------------------------- validation per type

    private static void text(JsonNode t) {
        String body = requireString(t, "body", "text['body']");
        if (body.isBlank()) throw GraphException.invalidValue("Param text['body'] must not be empty");
        if (body.length() > 4096) {
            throw GraphException.invalidParam("Param text['body'] must be at most 4096 characters long.");
        }
        if (t.has("preview_url") && !t.get("preview_url").isBoolean()) {
            throw GraphException.invalidValue("Param text['preview_url'] must be a boolean");
        }
    }

    private static Failure media(Store store, Store.PhoneNumber pn, String type, JsonNode m) {
        boolean hasId = MetaJson.has(m, "id");
        boolean hasLink = MetaJson.has(m, "link");
        if (!hasId && !hasLink) {
            throw GraphException.missing("The parameter " + type + "['id'] or " + type + "['link'] is required.");
        }
        if (hasId && hasLink) {
            throw GraphException.invalidValue("Param " + type + " must have either 'id' or 'link', not both");
        }
        if (m.has("caption") && !(type.equals("image") || type.equals("video") || type.equals("document"))) {
            throw GraphException.invalidValue("Param " + type + "['caption'] is not allowed: a caption is only"
                    + " supported for image, video and document");
        }
        if (m.has("caption")) {
            String c = MetaJson.str(m, "caption");
            if (c == null || c.length() > 1024) {
                throw GraphException.invalidValue("Param " + type + "['caption'] must be a string of at most 1024 characters");
            }
        }
        if (m.has("filename") && !type.equals("document")) {
            throw GraphException.invalidValue("Param " + type + "['filename'] is not allowed: filename is only"
                    + " supported for document");
        }
        if (hasLink) {
            String link = MetaJson.str(m, "link");
            if (link == null || !(link.startsWith("https://") || link.startsWith("http://"))) {
                throw GraphException.invalidValue("Param " + type + "['link'] must be an http(s) URL");
            }
            return null;
        }
        String id = MetaJson.str(m, "id");
        Store.Media media = id == null ? null : store.media.get(id);
        if (media == null || !Instant.now().isBefore(media.expiresAt)) {
            throw GraphException.invalidValue("Param " + type + "['id'] is not a valid media id: " + m.get("id"));
        }
        Store.PhoneNumber owner = store.numbers.get(media.phoneNumberId);
        if (owner == null || !owner.wabaId.equals(pn.wabaId)) {
            throw GraphException.invalidValue("Param " + type + "['id'] is not a valid media id: " + id);
        }
        String expected = expectedMimes(type);
        String base = GraphApi.baseMime(media.mimeType);
        if (!expected.contains(base)) {
            String t = Character.toUpperCase(type.charAt(0)) + type.substring(1);
            return new Failure(131053, "Media upload error", "Unsupported " + t + " mime type " + base
                    + ". Please use one of " + expected + ".");
        }
        return null;
    }

    private static String expectedMimes(String type) {
        switch (type) {
            case "image": return "image/jpeg, image/png";
            case "video": return "video/3gpp, video/mp4";
            case "audio": return "audio/aac, audio/amr, audio/mp4, audio/mpeg, audio/ogg";
            case "sticker": return "image/webp";
            default: return String.join(", ", GraphApi.MEDIA_LIMITS.keySet().stream()
                    .filter(k -> k.startsWith("application/") || k.startsWith("text/")).toList());
        }
    }

    private static void location(JsonNode l) {
        for (String f : List.of("latitude", "longitude")) {
            if (!MetaJson.has(l, f)) throw missing("location['" + f + "']");
            JsonNode v = l.get(f);
            double d;
            if (v.isNumber()) {
                d = v.asDouble();
            } else if (v.isString()) {
                try {
                    d = Double.parseDouble(v.stringValue());
                } catch (NumberFormatException e) {
                    throw GraphException.invalidValue("Param location['" + f + "'] must be a number");
                }
            } else {
                throw GraphException.invalidValue("Param location['" + f + "'] must be a number");
            }
            double max = f.equals("latitude") ? 90 : 180;
            if (d < -max || d > max) {
                throw GraphException.invalidValue("Param location['" + f + "'] must be between -" + (int) max + " and " + (int) max);
            }
        }
    }

    private static void contacts(JsonNode arr) {
        if (!arr.isArray() || arr.isEmpty()) {
            throw GraphException.invalidValue("Param contacts must be a non-empty array of contacts");
        }
        for (int i = 0; i < arr.size(); i++) {
            JsonNode c = arr.get(i);
            JsonNode name = c.get("name");
            if (name == null || !name.isObject()) throw missing("contacts[" + i + "]['name']");
            requireString(name, "formatted_name", "contacts[" + i + "]['name']['formatted_name']");
            if (c.has("phones") && !c.get("phones").isArray()) {
                throw GraphException.invalidValue("Param contacts[" + i + "]['phones'] must be an array");
            }
        }
    }

    private static void interactive(JsonNode in) {
        String itype = requireString(in, "type", "interactive['type']");
        if (!INTERACTIVE_TYPES.contains(itype)) {
            throw GraphException.invalidValue("Param interactive['type'] must be one of " + braces(INTERACTIVE_TYPES));
        }
        JsonNode action = in.get("action");
        if (action == null || !action.isObject()) throw missing("interactive['action']");
        if (in.has("header")) header(in.get("header"), itype);
        if (in.has("footer")) {
            String f = requireString(in.get("footer"), "text", "interactive['footer']['text']");
            if (f.length() > 60) throw GraphException.invalidValue("Param interactive['footer']['text'] must be at most 60 characters long");
        }
        switch (itype) {
            case "button": {
                bodyText(in, 1024);
                JsonNode buttons = action.get("buttons");
                if (buttons == null || !buttons.isArray() || buttons.isEmpty()) {
                    throw missing("interactive['action']['buttons']");
                }
                if (buttons.size() > 3) {
                    throw GraphException.invalidValue("Param interactive['action']['buttons'] must have at most 3 elements,"
                            + " has " + buttons.size());
                }
                Set<String> ids = new HashSet<>();
                Set<String> titles = new HashSet<>();
                for (int i = 0; i < buttons.size(); i++) {
                    JsonNode btn = buttons.get(i);
                    String p = "interactive['action']['buttons'][" + i + "]";
                    String bt = requireString(btn, "type", p + "['type']");
                    if (!bt.equals("reply")) throw GraphException.invalidValue("Param " + p + "['type'] must be one of {reply}");
                    JsonNode reply = btn.get("reply");
                    if (reply == null || !reply.isObject()) throw missing(p + "['reply']");
                    String id = requireString(reply, "id", p + "['reply']['id']");
                    String title = requireString(reply, "title", p + "['reply']['title']");
                    if (id.length() > 256) throw GraphException.invalidValue("Param " + p + "['reply']['id'] must be at most 256 characters long");
                    if (title.isBlank() || title.length() > 20) {
                        throw GraphException.invalidValue("Param " + p + "['reply']['title'] must be 1 to 20 characters long");
                    }
                    if (!ids.add(id)) throw GraphException.invalidValue("Buttons must have unique ids; duplicate '" + id + "'");
                    if (!titles.add(title)) throw GraphException.invalidValue("Buttons must have unique titles; duplicate '" + title + "'");
                }
                break;
            }
            case "list": {
                bodyText(in, 4096);
                String button = requireString(action, "button", "interactive['action']['button']");
                if (button.isBlank() || button.length() > 20) {
                    throw GraphException.invalidValue("Param interactive['action']['button'] must be 1 to 20 characters long");
                }
                JsonNode sections = action.get("sections");
                if (sections == null || !sections.isArray() || sections.isEmpty()) {
                    throw missing("interactive['action']['sections']");
                }
                if (sections.size() > 10) throw GraphException.invalidValue("Param interactive['action']['sections'] must have at most 10 elements");
                int rows = 0;
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < sections.size(); i++) {
                    JsonNode sec = sections.get(i);
                    String p = "interactive['action']['sections'][" + i + "]";
                    if (sections.size() > 1) {
                        String st = requireString(sec, "title", p + "['title']");
                        if (st.length() > 24) throw GraphException.invalidValue("Param " + p + "['title'] must be at most 24 characters long");
                    }
                    JsonNode rs = sec.get("rows");
                    if (rs == null || !rs.isArray() || rs.isEmpty()) throw missing(p + "['rows']");
                    for (int j = 0; j < rs.size(); j++) {
                        JsonNode r = rs.get(j);
                        String rp = p + "['rows'][" + j + "]";
                        String id = requireString(r, "id", rp + "['id']");
                        String title = requireString(r, "title", rp + "['title']");
                        if (id.length() > 200) throw GraphException.invalidValue("Param " + rp + "['id'] must be at most 200 characters long");
                        if (title.length() > 24) throw GraphException.invalidValue("Param " + rp + "['title'] must be at most 24 characters long");
                        if (r.has("description")) {
                            String d = MetaJson.str(r, "description");
                            if (d == null || d.length() > 72) throw GraphException.invalidValue("Param " + rp + "['description'] must be at most 72 characters long");
                        }
                        if (!ids.add(id)) throw GraphException.invalidValue("Rows must have unique ids; duplicate '" + id + "'");
                        rows++;
                    }
                }
                if (rows > 10) throw GraphException.invalidValue("A list message can have at most 10 rows in total, has " + rows);
                break;
            }
            case "cta_url": {
                bodyText(in, 1024);
                String name = requireString(action, "name", "interactive['action']['name']");
                if (!name.equals("cta_url")) throw GraphException.invalidValue("Param interactive['action']['name'] must be cta_url");
                JsonNode params = action.get("parameters");
                if (params == null || !params.isObject()) throw missing("interactive['action']['parameters']");
                String dt = requireString(params, "display_text", "interactive['action']['parameters']['display_text']");
                if (dt.isBlank() || dt.length() > 20) {
                    throw GraphException.invalidValue("Param interactive['action']['parameters']['display_text'] must be 1 to 20 characters long");
                }
                String url = requireString(params, "url", "interactive['action']['parameters']['url']");
                if (!(url.startsWith("https://") || url.startsWith("http://"))) {
                    throw GraphException.invalidValue("Param interactive['action']['parameters']['url'] must be an http(s) URL");
                }
                break;
            }
            default:
                if (in.has("body")) bodyText(in, 1024);
        }
    }

    private static void bodyText(JsonNode in, int max) {
        JsonNode body = in.get("body");
        if (body == null || !body.isObject()) throw missing("interactive['body']");
        String t = requireString(body, "text", "interactive['body']['text']");
        if (t.length() > max) throw GraphException.invalidValue("Param interactive['body']['text'] must be at most " + max + " characters long");
    }

    private static void header(JsonNode h, String itype) {
        String ht = requireString(h, "type", "interactive['header']['type']");
        switch (ht) {
            case "text": {
                String t = requireString(h, "text", "interactive['header']['text']");
                if (t.length() > 60) throw GraphException.invalidValue("Param interactive['header']['text'] must be at most 60 characters long");
                break;
            }
            case "image": case "video": case "document": {
                if (itype.equals("list")) throw GraphException.invalidValue("A list message header must be of type text");
                JsonNode m = h.get(ht);
                if (m == null || !m.isObject() || (!MetaJson.has(m, "id") && !MetaJson.has(m, "link"))) {
                    throw missing("interactive['header']['" + ht + "']");
                }
                break;
            }
            default:
                throw GraphException.invalidValue("Param interactive['header']['type'] must be one of {text, image, video, document}");
        }
    }

    private static void reaction(JsonNode r) {
        requireString(r, "message_id", "reaction['message_id']");
        if (!r.has("emoji")) throw missing("reaction['emoji']");
        if (!r.get("emoji").isString()) throw GraphException.invalidValue("Param reaction['emoji'] must be a string");
    }

    // ---------------------------------------------------------------- templates

    private static Store.Template template(Store store, Store.Waba waba, JsonNode t) {
        String name = requireString(t, "name", "template['name']");
        JsonNode lang = t.get("language");
        if (lang == null || !lang.isObject()) throw missing("template['language']");
        String code = requireString(lang, "code", "template['language']['code']");
        Store.Template tpl = null;
        for (Store.Template x : store.templatesOf(waba.id)) {
            if (x.name.equals(name) && x.language.equals(code)) tpl = x;
        }
        if (tpl == null) {
            throw GraphException.wa(132001, "Template name does not exist in the translation",
                    "template name (" + name + ") does not exist in " + code);
        }
        switch (tpl.status) {
            case "APPROVED": break;
            case "PAUSED":
                throw GraphException.wa(132015, "Template is Paused", "Template " + name + " is paused due to low quality");
            case "DISABLED":
                throw GraphException.wa(132016, "Template is disabled", "Template " + name + " has been disabled");
            default:
                throw GraphException.wa(132001, "Template name does not exist in the translation",
                        "template name (" + name + ") in " + code + " is not approved (status " + tpl.status + ")");
        }
        JsonNode comps = t.get("components");
        if (comps != null && !comps.isNull() && !comps.isArray()) {
            throw GraphException.invalidValue("Param template['components'] must be an array");
        }
        boolean named = "NAMED".equals(tpl.parameterFormat);
        JsonNode tplBody = component(tpl.components, "BODY");
        JsonNode tplHeader = component(tpl.components, "HEADER");
        JsonNode tplButtons = component(tpl.components, "BUTTONS");
        JsonNode sentBody = null;
        JsonNode sentHeader = null;
        if (comps != null && comps.isArray()) {
            for (int i = 0; i < comps.size(); i++) {
                JsonNode c = comps.get(i);
                String p = "template['components'][" + i + "]";
                String ct = requireString(c, "type", p + "['type']").toLowerCase(Locale.ROOT);
                JsonNode params = c.get("parameters");
                if (params != null && !params.isArray()) throw GraphException.invalidValue("Param " + p + "['parameters'] must be an array");
                if (params != null) {
                    for (int j = 0; j < params.size(); j++) parameter(params.get(j), p + "['parameters'][" + j + "]", named && !ct.equals("button"));
                }
                switch (ct) {
                    case "body": sentBody = c; break;
                    case "header": sentHeader = c; break;
                    case "button": button(c, p, tplButtons); break;
                    case "limited_time_offer": case "carousel": break;
                    default:
                        throw GraphException.invalidValue("Param " + p + "['type'] must be one of {header, body, button, limited_time_offer, carousel}");
                }
            }
        }
        int expectedBody = tplBody == null ? 0 : countVars(MetaJson.str(tplBody, "text"), named);
        int gotBody = sentBody == null || sentBody.get("parameters") == null ? 0 : sentBody.get("parameters").size();
        if (expectedBody != gotBody) {
            throw GraphException.wa(132000, "Number of parameters does not match the expected number of params",
                    "body: number of localizable_params (" + gotBody + ") does not match the expected number of params ("
                            + expectedBody + ")");
        }
        if (tplHeader != null) {
            String format = String.valueOf(MetaJson.str(tplHeader, "format")).toUpperCase(Locale.ROOT);
            JsonNode hp = sentHeader == null ? null : sentHeader.get("parameters");
            if (format.equals("TEXT")) {
                int expected = countVars(MetaJson.str(tplHeader, "text"), named);
                int got = hp == null ? 0 : hp.size();
                if (expected != got) {
                    throw GraphException.wa(132000, "Number of parameters does not match the expected number of params",
                            "header: number of localizable_params (" + got + ") does not match the expected number of params ("
                                    + expected + ")");
                }
            } else if (Set.of("IMAGE", "VIDEO", "DOCUMENT", "LOCATION").contains(format)) {
                String want = format.toLowerCase(Locale.ROOT);
                String got = hp == null || hp.isEmpty() ? "UNKNOWN" : String.valueOf(MetaJson.str(hp.get(0), "type")).toUpperCase(Locale.ROOT);
                if (!got.equals(format)) {
                    throw GraphException.wa(132012, "Parameter format does not match format in the created template",
                            "header: Format mismatch, expected " + format + ", received " + got + " (a header parameter of type "
                                    + want + " is required)");
                }
            }
        }
        return tpl;
    }

    private static void parameter(JsonNode p, String path, boolean named) {
        if (p == null || !p.isObject()) throw GraphException.invalidValue("Param " + path + " must be an object");
        String type = requireString(p, "type", path + "['type']");
        if (named && !type.equals("payload") && !type.equals("coupon_code")) {
            requireString(p, "parameter_name", path + "['parameter_name']");
        }
        switch (type) {
            case "text": requireString(p, "text", path + "['text']"); break;
            case "payload": requireString(p, "payload", path + "['payload']"); break;
            case "coupon_code": requireString(p, "coupon_code", path + "['coupon_code']"); break;
            case "currency": {
                JsonNode c = p.get("currency");
                if (c == null || !c.isObject()) throw missing(path + "['currency']");
                requireString(c, "fallback_value", path + "['currency']['fallback_value']");
                requireString(c, "code", path + "['currency']['code']");
                if (!MetaJson.has(c, "amount_1000") || !c.get("amount_1000").isIntegralNumber()) {
                    throw missing(path + "['currency']['amount_1000']");
                }
                break;
            }
            case "date_time": {
                JsonNode d = p.get("date_time");
                if (d == null || !d.isObject()) throw missing(path + "['date_time']");
                requireString(d, "fallback_value", path + "['date_time']['fallback_value']");
                break;
            }
            case "image": case "video": case "document": {
                JsonNode m = p.get(type);
                if (m == null || !m.isObject() || (!MetaJson.has(m, "id") && !MetaJson.has(m, "link"))) {
                    throw GraphException.missing("The parameter " + path + "['" + type + "']['id'] or ['link'] is required.");
                }
                break;
            }
            case "location": case "action": case "product": case "limited_time_offer": case "ttl": break;
            default:
                throw GraphException.invalidValue("Param " + path + "['type'] must be one of {text, currency, date_time,"
                        + " image, video, document, location, payload, coupon_code, action}");
        }
    }

    private static void button(JsonNode c, String p, JsonNode tplButtons) {
        String sub = requireString(c, "sub_type", p + "['sub_type']").toLowerCase(Locale.ROOT);
        if (!Set.of("quick_reply", "url", "copy_code", "flow", "catalog", "mpm", "voice_call", "otp").contains(sub)) {
            throw GraphException.invalidValue("Param " + p + "['sub_type'] must be one of {quick_reply, url, copy_code, flow, catalog, mpm, voice_call}");
        }
        JsonNode idx = c.get("index");
        int index;
        if (idx == null) throw missing(p + "['index']");
        try {
            index = idx.isIntegralNumber() ? idx.asInt() : Integer.parseInt(idx.asString(""));
        } catch (NumberFormatException e) {
            throw GraphException.invalidValue("Param " + p + "['index'] must be an integer");
        }
        int count = tplButtons == null || tplButtons.get("buttons") == null ? 0 : tplButtons.get("buttons").size();
        if (index < 0 || index >= count) {
            throw GraphException.invalidValue("Param " + p + "['index'] is " + index + " but the template has " + count + " button(s)");
        }
    }

    static JsonNode component(JsonNode comps, String type) {
        if (comps == null || !comps.isArray()) return null;
        for (JsonNode c : comps) {
            String t = MetaJson.str(c, "type");
            if (t != null && t.equalsIgnoreCase(type)) return c;
        }
        return null;
    }

    static int countVars(String text, boolean named) {
        if (text == null) return 0;
        Set<String> vars = new HashSet<>();
        Matcher m = (named ? NAMED_VAR : POSITIONAL_VAR).matcher(text);
        while (m.find()) vars.add(m.group(1));
        return vars.size();
    }

    // ---------------------------------------------------------------- helpers

    private static String requireTopString(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) throw GraphApi.paramRequired(field);
        if (!v.isString() && !v.isNumber()) throw GraphException.invalidParam("Param " + field + " must be a string");
        return v.isString() ? v.stringValue() : v.asString();
    }

    private static String requireString(JsonNode node, String field, String path) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) throw missing(path);
        if (!v.isString()) throw GraphException.invalidValue("Param " + path + " must be a string");
        return v.stringValue();
    }

    private static GraphException missing(String path) {
        return GraphException.missing("The parameter " + path + " is required.");
    }

    private static String braces(Set<String> s) {
        return "{" + String.join(", ", s) + "}";
    }

    static ArrayNode asArray(JsonNode n) {
        return n instanceof ArrayNode ? (ArrayNode) n : MetaJson.array();
    }
}
