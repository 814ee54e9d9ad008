package dev.parley.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The Graph API endpoints of the Cloud API, with Meta's validation, success shapes and error objects. */
final class GraphApi {
    static final Set<String> MEDIA_TYPES = Set.of("image", "video", "audio", "document", "sticker");
    static final String MESSAGING = "whatsapp_business_messaging";
    static final String MANAGEMENT = "whatsapp_business_management";
    private static final Pattern VERSION = Pattern.compile("v(\\d+)(\\.\\d+)?");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("^[a-z0-9_]{1,512}$");
    static final int DEFAULT_MAJOR_VERSION = 25;
    private static final int MAX_TEMPLATES = 250;

    private final CloudApiEmulator emu;
    private final Store store;

    GraphApi(CloudApiEmulator emu) {
        this.emu = emu;
        this.store = emu.store;
    }

    // ================================================================ dispatch

    /** The phone number a Graph request addresses (for per-number faults), or null. */
    String addressedNumber(HttpReq req) {
        List<String> s = stripVersion(req.segments);
        if (s.isEmpty()) return null;
        synchronized (store) {
            if (store.numbers.containsKey(s.get(0))) return s.get(0);
        }
        return null;
    }

    private static List<String> stripVersion(List<String> segs) {
        if (!segs.isEmpty() && VERSION.matcher(segs.get(0)).matches()) return segs.subList(1, segs.size());
        return segs;
    }

    private static int majorVersion(List<String> segs) {
        if (!segs.isEmpty()) {
            var m = VERSION.matcher(segs.get(0));
            if (m.matches()) return Integer.parseInt(m.group(1));
        }
        return DEFAULT_MAJOR_VERSION;
    }

    HttpResp handleSafely(HttpReq req) {
        try {
            return handle(req);
        } catch (GraphException e) {
            return error(e);
        }
    }

    static HttpResp error(GraphException e) {
        return HttpResp.json(e.httpStatus, e.body(Ids.fbtrace()));
    }

    HttpResp faultResponse(Faults.Kind kind) {
        switch (kind) {
            case SERVER_ERROR:
                return error(GraphException.graph(500, 1, null, "OAuthException", "An unknown error has occurred.")
                        .transientFlag(false));
            case TEMPORARY_ERROR:
                return error(GraphException.graph(500, 2, null, "OAuthException",
                        "An unexpected error has occurred. Please retry your request later.").transientFlag(true));
            case SERVICE_UNAVAILABLE:
                return error(GraphException.graph(503, 2, null, "OAuthException",
                        "Service temporarily unavailable").transientFlag(true));
            case THROUGHPUT:
                return error(throughputError());
            default:
                throw new IllegalStateException("not a response fault: " + kind);
        }
    }

    private HttpResp handle(HttpReq req) {
        List<String> s = stripVersion(req.segments);
        int major = majorVersion(req.segments);
        if (s.isEmpty()) throw GraphException.unknownPath(req.path);
        String head = s.get(0);
        if (head.equals("oauth") && s.size() == 2 && s.get(1).equals("access_token")) return oauthAccessToken(req);
        if (head.equals("debug_token") && s.size() == 1) return debugToken(req);
        if (s.size() > 2) throw GraphException.unknownPath(req.path);
        String edge = s.size() == 2 ? s.get(1) : null;
        Store.Token token = authenticate(req);
        synchronized (store) {
            if (store.numbers.containsKey(head)) return phoneNumber(req, token, store.numbers.get(head), edge, major);
            if (store.wabas.containsKey(head)) return waba(req, token, store.wabas.get(head), edge);
            if (store.media.containsKey(head) && edge == null) return media(req, token, store.media.get(head));
            if (store.templates.containsKey(head) && edge == null) return template(req, token, store.templates.get(head));
        }
        throw GraphException.notFound(head, req.method.toLowerCase(Locale.ROOT));
    }

    // ================================================================ auth

    private Store.Token authenticate(HttpReq req) {
        String token = bearer(req);
        if (token == null || token.isBlank()) {
            throw GraphException.graph(401, 190, null, "OAuthException",
                    "An active access token must be used to query information about the current user.");
        }
        synchronized (store) {
            Store.Token t = store.tokens.get(token);
            if (t == null) {
                throw GraphException.graph(401, 190, null, "OAuthException",
                        "Invalid OAuth access token - Cannot parse access token");
            }
            if (t.expiresAt != null && !Instant.now().isBefore(t.expiresAt)) {
                String when = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'UTC'", Locale.ENGLISH)
                        .format(t.expiresAt.atZone(ZoneOffset.UTC));
                String now = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'UTC'", Locale.ENGLISH)
                        .format(Instant.now().atZone(ZoneOffset.UTC));
                throw GraphException.graph(401, 190, 463, "OAuthException",
                        "Error validating access token: Session has expired on " + when + ". The current time is "
                                + now + ".");
            }
            return t;
        }
    }

    static String bearer(HttpReq req) {
        String h = req.header("Authorization");
        if (h != null) {
            String v = h.trim();
            int sp = v.indexOf(' ');
            if (sp > 0) {
                String scheme = v.substring(0, sp).toLowerCase(Locale.ROOT);
                if (scheme.equals("bearer") || scheme.equals("oauth")) return v.substring(sp + 1).trim();
            }
        }
        return req.query.get("access_token");
    }

    /** The token's app must own the WABA or be subscribed to it; otherwise the object "does not exist". */
    private void requireAccess(Store.Token t, Store.Waba waba, String objectId, HttpReq req) {
        if (!waba.ownerAppId.equals(t.appId) && !waba.subscribedApps.contains(t.appId)) {
            throw GraphException.notFound(objectId, req.method.toLowerCase(Locale.ROOT));
        }
    }

    private static void requireScope(Store.Token t, String scope) {
        if (t.scopes.contains(scope)) return;
        if (scope.equals(MESSAGING)) {
            throw GraphException.graph(403, 10, null, "OAuthException",
                    "(#10) Application does not have permission for this action");
        }
        throw GraphException.graph(403, 200, null, "OAuthException",
                "(#200) Permissions error");
    }

    // ================================================================ phone number

    private HttpResp phoneNumber(HttpReq req, Store.Token t, Store.PhoneNumber pn, String edge, int major) {
        Store.Waba waba = store.wabaOfNumber(pn);
        requireAccess(t, waba, pn.id, req);
        if (edge == null) {
            if (!req.method.equals("GET")) throw GraphException.notFound(pn.id, req.method.toLowerCase(Locale.ROOT));
            requireScope(t, MANAGEMENT);
            return HttpResp.json(200, phoneNumberJson(pn, req.query.get("fields"), true));
        }
        switch (edge) {
            case "messages":
                requirePost(req, edge);
                requireScope(t, MESSAGING);
                return Messages.send(emu, req, pn, major);
            case "media":
                requirePost(req, edge);
                requireScope(t, MESSAGING);
                return uploadMedia(req, pn);
            case "register": {
                requirePost(req, edge);
                requireScope(t, MANAGEMENT);
                ObjectNode b = req.jsonBody();
                requireMessagingProduct(b);
                String pin = b.has("pin") ? b.get("pin").asString("") : null;
                if (pin == null || pin.isEmpty()) throw paramRequired("pin");
                if (!pin.matches("\\d{6}")) {
                    throw GraphException.invalidParam("Param pin must be 6 digits").userText("Invalid PIN",
                            "The two-step verification PIN must be exactly 6 digits.");
                }
                if (pn.pin != null && !pn.pin.equals(pin)) {
                    throw GraphException.wa(131031, "Account has been locked",
                            "The PIN does not match the two-step verification PIN of this number.");
                }
                pn.pin = pin;
                pn.registered = true;
                return success();
            }
            case "deregister":
                requirePost(req, edge);
                requireScope(t, MANAGEMENT);
                pn.registered = false;
                return success();
            default:
                throw nonexistingField(edge, "WhatsAppBusinessPhoneNumber");
        }
    }

    private static final List<String> PHONE_DEFAULT_FIELDS = List.of("verified_name", "code_verification_status",
            "display_phone_number", "quality_rating", "platform_type", "throughput", "id");

    ObjectNode phoneNumberJson(Store.PhoneNumber pn, String fields, boolean single) {
        Map<String, Function<Store.PhoneNumber, Object>> all = new LinkedHashMap<>();
        all.put("verified_name", p -> p.verifiedName);
        all.put("code_verification_status", p -> "NOT_VERIFIED");
        all.put("display_phone_number", p -> p.display);
        all.put("quality_rating", p -> p.quality);
        all.put("platform_type", p -> p.registered ? "CLOUD_API" : "NOT_APPLICABLE");
        all.put("throughput", p -> {
            ObjectNode o = MetaJson.object();
            o.put("level", "STANDARD");
            return o;
        });
        all.put("whatsapp_business_manager_messaging_limit", p -> "TIER_250");
        all.put("messaging_limit_tier", p -> "TIER_250");
        all.put("name_status", p -> "APPROVED");
        all.put("new_name_status", p -> "NONE");
        all.put("status", p -> p.registered ? "CONNECTED" : "PENDING");
        all.put("account_mode", p -> "LIVE");
        all.put("is_official_business_account", p -> false);
        all.put("is_pin_enabled", p -> p.pin != null);
        all.put("id", p -> p.id);
        return select(pn, all, fields, PHONE_DEFAULT_FIELDS, "WhatsAppBusinessPhoneNumber");
    }

    private static <T> ObjectNode select(T obj, Map<String, Function<T, Object>> all, String fields,
                                         List<String> defaults, String nodeType) {
        List<String> wanted = new ArrayList<>();
        if (fields == null || fields.isBlank()) {
            wanted.addAll(defaults);
        } else {
            for (String f : fields.split(",")) {
                String name = f.trim();
                int brace = name.indexOf('{');
                if (brace > 0) name = name.substring(0, brace);
                if (name.isEmpty()) continue;
                if (!all.containsKey(name)) throw nonexistingField(name, nodeType);
                if (!wanted.contains(name)) wanted.add(name);
            }
            if (!wanted.contains("id")) wanted.add("id");
        }
        ObjectNode o = MetaJson.object();
        for (String f : wanted) {
            Object v = all.get(f).apply(obj);
            if (v == null) continue;
            if (v instanceof JsonNode) o.set(f, (JsonNode) v);
            else if (v instanceof Boolean) o.put(f, (Boolean) v);
            else if (v instanceof Long) o.put(f, (Long) v);
            else if (v instanceof Integer) o.put(f, (Integer) v);
            else o.put(f, v.toString());
        }
        return o;
    }

    static GraphException nonexistingField(String name, String nodeType) {
        return GraphException.graph(400, 100, null, "OAuthException",
                "(#100) Tried accessing nonexisting field (" + name + ") on node type (" + nodeType + ")");
    }

    // ================================================================ WABA

    private HttpResp waba(HttpReq req, Store.Token t, Store.Waba waba, String edge) {
        requireAccess(t, waba, waba.id, req);
        if (edge == null) {
            if (!req.method.equals("GET")) throw GraphException.notFound(waba.id, req.method.toLowerCase(Locale.ROOT));
            requireScope(t, MANAGEMENT);
            Map<String, Function<Store.Waba, Object>> all = new LinkedHashMap<>();
            all.put("id", w -> w.id);
            all.put("name", w -> w.name);
            all.put("currency", w -> "USD");
            all.put("timezone_id", w -> "1");
            all.put("message_template_namespace", w -> w.namespace);
            all.put("account_review_status", w -> "APPROVED");
            return HttpResp.json(200, select(waba, all, req.query.get("fields"),
                    List.of("id", "name", "currency", "timezone_id", "message_template_namespace"),
                    "WhatsAppBusinessAccount"));
        }
        requireScope(t, MANAGEMENT);
        switch (edge) {
            case "phone_numbers": {
                if (!req.method.equals("GET")) throw GraphException.notFound(waba.id, req.method.toLowerCase(Locale.ROOT));
                List<ObjectNode> items = new ArrayList<>();
                for (String id : waba.numbers) items.add(phoneNumberJson(store.numbers.get(id), req.query.get("fields"), false));
                return HttpResp.json(200, page(items, req));
            }
            case "message_templates":
                return Templates.handle(emu, this, req, waba);
            case "subscribed_apps":
                return subscribedApps(req, t, waba);
            default:
                throw nonexistingField(edge, "WhatsAppBusinessAccount");
        }
    }

    private HttpResp subscribedApps(HttpReq req, Store.Token t, Store.Waba waba) {
        switch (req.method) {
            case "GET": {
                ObjectNode root = MetaJson.object();
                ArrayNode data = root.putArray("data");
                for (String appId : waba.subscribedApps) {
                    Store.App app = store.apps.get(appId);
                    ObjectNode d = data.addObject().putObject("whatsapp_business_api_data");
                    d.put("link", "https://www.facebook.com/games/?app_id=" + appId);
                    d.put("name", app == null ? appId : app.name);
                    d.put("id", appId);
                }
                return HttpResp.json(200, root);
            }
            case "POST": {
                ObjectNode b = req.jsonBody();
                String override = MetaJson.str(b, "override_callback_uri");
                waba.subscribedApps.add(t.appId);
                if (override != null) {
                    String vt = MetaJson.str(b, "verify_token");
                    if (vt == null) throw paramRequired("verify_token");
                    Store.App app = store.apps.get(t.appId);
                    app.callbackUrl = override;
                    app.verifyToken = vt;
                    emu.scheduler.execute(() -> emu.webhooks.startHandshake(t.appId));
                }
                return success();
            }
            case "DELETE":
                waba.subscribedApps.remove(t.appId);
                return success();
            default:
                throw GraphException.notFound(waba.id, req.method.toLowerCase(Locale.ROOT));
        }
    }

    // ================================================================ paging

    /** Cursor paging as Graph does it: {@code limit}, {@code after}, {@code before}; cursors are opaque base64. */
    ObjectNode page(List<ObjectNode> items, HttpReq req) {
        int limit = 25;
        String l = req.query.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l.trim());
            } catch (NumberFormatException e) {
                throw GraphException.invalidParam("Param limit must be an integer");
            }
            if (limit < 1) throw GraphException.invalidParam("Param limit must be a positive integer");
            limit = Math.min(limit, 1000);
        }
        int start = 0;
        int end;
        String after = req.query.get("after");
        String before = req.query.get("before");
        if (after != null) {
            start = decodeCursor(after) + 1;
            end = Math.min(items.size(), start + limit);
        } else if (before != null) {
            end = Math.min(items.size(), decodeCursor(before));
            start = Math.max(0, end - limit);
        } else {
            end = Math.min(items.size(), limit);
        }
        start = Math.min(start, items.size());
        end = Math.max(start, end);
        ObjectNode root = MetaJson.object();
        ArrayNode data = root.putArray("data");
        for (ObjectNode o : items.subList(start, end)) data.add(o);
        ObjectNode paging = root.putObject("paging");
        if (end > start) {
            ObjectNode cursors = paging.putObject("cursors");
            cursors.put("before", encodeCursor(start));
            cursors.put("after", encodeCursor(end - 1));
            if (end < items.size()) paging.put("next", pageUrl(req, "after", encodeCursor(end - 1)));
            if (start > 0) paging.put("previous", pageUrl(req, "before", encodeCursor(start)));
        }
        return root;
    }

    private String pageUrl(HttpReq req, String key, String cursor) {
        StringBuilder sb = new StringBuilder(emu.baseUrl()).append(req.path).append('?');
        Map<String, String> q = new LinkedHashMap<>(req.query);
        q.remove("after");
        q.remove("before");
        q.put(key, cursor);
        if (!q.containsKey("access_token")) {
            String t = bearer(req);
            if (t != null) q.put("access_token", t);
        }
        boolean first = true;
        for (Map.Entry<String, String> e : q.entrySet()) {
            if (!first) sb.append('&');
            first = false;
            sb.append(java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static String encodeCursor(int index) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("cursor:" + index).getBytes(StandardCharsets.US_ASCII));
    }

    private static int decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.US_ASCII);
            if (!s.startsWith("cursor:")) throw new IllegalArgumentException();
            return Integer.parseInt(s.substring(7));
        } catch (IllegalArgumentException e) {
            throw GraphException.invalidParam("Invalid cursor: " + cursor);
        }
    }

    // ================================================================ media

    static final Map<String, Long> MEDIA_LIMITS = new LinkedHashMap<>();

    static {
        long mb = 1024L * 1024L;
        for (String m : List.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg")) MEDIA_LIMITS.put(m, 16 * mb);
        for (String m : List.of("text/plain", "application/pdf", "application/vnd.ms-powerpoint", "application/msword",
                "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")) {
            MEDIA_LIMITS.put(m, 100 * mb);
        }
        MEDIA_LIMITS.put("image/jpeg", 5 * mb);
        MEDIA_LIMITS.put("image/png", 5 * mb);
        MEDIA_LIMITS.put("image/webp", 500 * 1024L);
        MEDIA_LIMITS.put("video/mp4", 16 * mb);
        MEDIA_LIMITS.put("video/3gpp", 16 * mb);
    }

    static String baseMime(String mime) {
        if (mime == null) return null;
        int semi = mime.indexOf(';');
        return (semi < 0 ? mime : mime.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private HttpResp uploadMedia(HttpReq req, Store.PhoneNumber pn) {
        if (!req.contentType().startsWith("multipart/form-data")) {
            throw GraphException.invalidParam("Media upload needs a multipart/form-data body");
        }
        List<Multipart.Part> parts;
        try {
            parts = Multipart.parse(req.body, req.header("Content-Type"));
        } catch (IllegalArgumentException e) {
            throw GraphException.invalidParam("Malformed multipart body: " + e.getMessage());
        }
        String product = null;
        String type = null;
        Multipart.Part file = null;
        for (Multipart.Part p : parts) {
            switch (p.name()) {
                case "messaging_product": product = p.text(); break;
                case "type": type = p.text(); break;
                case "file": file = p; break;
                default: break;
            }
        }
        if (product == null || product.isBlank()) throw paramRequired("messaging_product");
        if (!product.trim().equals("whatsapp")) throw GraphException.invalidParam("Param messaging_product must be whatsapp");
        if (file == null) throw paramRequired("file");
        String mime = type != null && !type.isBlank() ? type.trim() : file.contentType();
        String base = baseMime(mime);
        if (base == null || !MEDIA_LIMITS.containsKey(base)) {
            throw GraphException.wa(131053, "Media upload error", "Param file must be a file with one of the following"
                    + " types: " + String.join(", ", MEDIA_LIMITS.keySet()) + ". Received file of type '" + mime + "'.");
        }
        if (base.equals("audio/ogg") && mime.toLowerCase(Locale.ROOT).contains("codecs") && !mime.toLowerCase(Locale.ROOT).contains("opus")) {
            throw GraphException.wa(131053, "Media upload error", "Only OGG files with the Opus codec are supported");
        }
        long limit = MEDIA_LIMITS.get(base);
        if (file.bytes().length > limit) {
            throw GraphException.wa(131053, "Media upload error", "Param file of type " + base + " must be at most "
                    + limit + " bytes, was " + file.bytes().length + " bytes.");
        }
        if (file.bytes().length == 0) throw GraphException.wa(131053, "Media upload error", "Param file is empty");
        Store.Media m = emu.storeMedia(pn.id, file.bytes(), mime, file.filename(),
                Instant.now().plus(CloudApiEmulator.UPLOADED_MEDIA_TTL));
        ObjectNode o = MetaJson.object();
        o.put("id", m.id);
        return HttpResp.json(200, o);
    }

    private HttpResp media(HttpReq req, Store.Token t, Store.Media m) {
        Store.PhoneNumber pn = store.numbers.get(m.phoneNumberId);
        if (pn == null || !Instant.now().isBefore(m.expiresAt)) {
            throw GraphException.notFound(m.id, req.method.toLowerCase(Locale.ROOT));
        }
        requireAccess(t, store.wabaOfNumber(pn), m.id, req);
        requireScope(t, MESSAGING);
        String onlyNumber = req.query.get("phone_number_id");
        if (onlyNumber != null && !onlyNumber.equals(m.phoneNumberId)) {
            throw GraphException.invalidParam("Media " + m.id + " does not belong to phone number " + onlyNumber);
        }
        if (req.method.equals("DELETE")) {
            store.media.remove(m.id);
            store.mediaUrls.values().removeIf(u -> u.mediaId().equals(m.id));
            return success();
        }
        if (!req.method.equals("GET")) throw GraphException.notFound(m.id, req.method.toLowerCase(Locale.ROOT));
        Instant exp = Instant.now().plus(emu.options.mediaUrlTtl());
        store.mediaUrlsIssued.merge(m.id, 1, Integer::sum);
        Integer expireNext = store.expireNextMediaUrls.get(m.id);
        if (expireNext != null) { // the download will come after the URL's lifetime (see expireNextMediaUrls)
            if (expireNext <= 1) store.expireNextMediaUrls.remove(m.id);
            else store.expireNextMediaUrls.put(m.id, expireNext - 1);
            exp = Instant.now().minusSeconds(1);
        }
        String hash = Ids.alnum(43);
        store.mediaUrls.put(hash, new Store.MediaUrl(m.id, exp));
        ObjectNode o = MetaJson.object();
        o.put("url", emu.baseUrl() + "/_lookaside/whatsapp_business/attachments/?mid=" + m.id + "&ext="
                + exp.getEpochSecond() + "&hash=" + hash);
        o.put("mime_type", m.mimeType);
        o.put("sha256", m.sha256Hex);
        o.put("file_size", m.bytes.length);
        o.put("id", m.id);
        o.put("messaging_product", "whatsapp");
        return HttpResp.json(200, o);
    }

    /** {@code GET /_lookaside/...}: the media bytes, with a valid Bearer token and an unexpired URL. */
    HttpResp download(HttpReq req) {
        if (!req.method.equals("GET")) return HttpResp.text(405, "Method not allowed");
        String token = bearer(req);
        synchronized (store) {
            Store.Token t = token == null ? null : store.tokens.get(token);
            if (t == null || (t.expiresAt != null && !Instant.now().isBefore(t.expiresAt))) {
                return HttpResp.text(401, "Unauthorized: a valid access token is required");
            }
            String hash = req.query.get("hash");
            Store.MediaUrl u = hash == null ? null : store.mediaUrls.get(hash);
            if (u == null || !Instant.now().isBefore(u.expiresAt())) return HttpResp.text(404, "Not Found");
            Store.Media m = store.media.get(u.mediaId());
            if (m == null) return HttpResp.text(404, "Not Found");
            Store.PhoneNumber pn = store.numbers.get(m.phoneNumberId);
            Store.Waba waba = pn == null ? null : store.wabaOfNumber(pn);
            if (waba == null || (!waba.ownerAppId.equals(t.appId) && !waba.subscribedApps.contains(t.appId))) {
                return HttpResp.text(404, "Not Found");
            }
            return new HttpResp(200, m.mimeType, m.bytes);
        }
    }

    // ================================================================ templates

    private HttpResp template(HttpReq req, Store.Token t, Store.Template tpl) {
        requireAccess(t, store.wabas.get(tpl.wabaId), tpl.id, req);
        requireScope(t, MANAGEMENT);
        if (!req.method.equals("GET")) throw GraphException.notFound(tpl.id, req.method.toLowerCase(Locale.ROOT));
        return HttpResp.json(200, Templates.json(tpl, req.query.get("fields")));
    }

    Store.Template insertTemplate(String wabaId, String name, String language, String category, String status,
                                  JsonNode components, String parameterFormat) {
        String id;
        do {
            id = Ids.numeric();
        } while (store.templates.containsKey(id) || store.media.containsKey(id) || store.numbers.containsKey(id));
        Store.Template t = new Store.Template(id, wabaId, name, language, category, status, components, parameterFormat,
                ++store.templateSeq);
        store.templates.put(id, t);
        return t;
    }

    Store.Template createTemplate(String wabaId, ObjectNode body, String initialStatus) {
        return Templates.create(this, store, wabaId, body, initialStatus, MAX_TEMPLATES);
    }

    void changeTemplateStatus(String templateId, String status, String reason) {
        String st = CloudApiEmulator.requireText(status, "status").toUpperCase(Locale.ROOT);
        if (!Templates.STATUSES.contains(st)) {
            throw new IllegalArgumentException("status must be one of " + Templates.STATUSES + ", was " + status);
        }
        WebhookDispatcher.Update update;
        synchronized (store) {
            Store.Template t = store.templates.get(templateId);
            if (t == null) throw new IllegalArgumentException("unknown template id " + templateId);
            t.status = st;
            ObjectNode v = MetaJson.object();
            v.put("event", st);
            v.put("message_template_id", Long.parseLong(t.id));
            v.put("message_template_name", t.name);
            v.put("message_template_language", t.language);
            v.put("reason", reason == null || reason.isBlank() ? "NONE" : reason.toUpperCase(Locale.ROOT));
            v.put("message_template_category", t.category);
            update = WebhookDispatcher.Update.wabaField(t.wabaId, "message_template_status_update", v);
        }
        emu.webhooks.enqueue(update);
    }

    void scheduleAutoReview(Store.Template t) {
        Duration d = emu.options.templateReviewDelay();
        if (d == null) return;
        String id = t.id;
        emu.scheduler.schedule(() -> {
            synchronized (store) {
                Store.Template cur = store.templates.get(id);
                if (cur == null || !cur.status.equals("PENDING")) return;
            }
            changeTemplateStatus(id, "APPROVED", null);
        }, d.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ================================================================ statuses

    void customerReads(String wamid) {
        WebhookDispatcher.Update u;
        synchronized (store) {
            Store.OutMessage m = store.outbound.get(wamid);
            if (m == null) throw new IllegalArgumentException("unknown outbound wamid " + wamid);
            if (m.status.equals("failed") || m.status.equals("read")) return;
            if (m.status.equals("accepted")) {
                throw new IllegalArgumentException("message " + wamid + " is not sent yet");
            }
            u = Messages.statusUpdate(store, m, "read", m.status.equals("sent"));
        }
        emu.webhooks.enqueue(u);
    }

    // ================================================================ OAuth

    private HttpResp oauthAccessToken(HttpReq req) {
        if (!req.method.equals("GET") && !req.method.equals("POST")) throw GraphException.unknownPath(req.path);
        Map<String, String> q = new LinkedHashMap<>(req.query);
        if (req.method.equals("POST") && req.contentType().startsWith("application/x-www-form-urlencoded")) {
            q.putAll(HttpReq.parseForm(req.bodyText()));
        }
        String clientId = q.get("client_id");
        String secret = q.get("client_secret");
        String code = q.get("code");
        if (clientId == null || clientId.isBlank()) {
            throw GraphException.graph(400, 101, null, "OAuthException", "Missing client_id parameter.");
        }
        synchronized (store) {
            Store.App app = store.apps.get(clientId);
            if (app == null) {
                throw GraphException.graph(400, 101, null, "OAuthException",
                        "Error validating application. Invalid application ID.");
            }
            if (secret == null || !secret.equals(app.secret)) {
                throw GraphException.graph(400, 1, null, "OAuthException", "Error validating client secret.");
            }
            if (code == null || code.isBlank()) {
                throw GraphException.graph(400, 100, null, "OAuthException", "Missing authorization code");
            }
            Store.OAuthCode c = store.oauthCodes.get(code);
            if (c == null) {
                if (store.oauthCodes.containsKey("used:" + code)) {
                    throw GraphException.graph(400, 100, 36009, "OAuthException", "This authorization code has been used.");
                }
                throw GraphException.graph(400, 100, 36008, "OAuthException", "Invalid verification code format.");
            }
            if (!c.appId().equals(clientId)) {
                throw GraphException.graph(400, 100, 36008, "OAuthException",
                        "Error validating verification code. Please make sure your redirect_uri is identical to the"
                                + " one you used in the OAuth dialog request");
            }
            store.oauthCodes.remove(code);
            store.oauthCodes.put("used:" + code, c);
            ObjectNode o = MetaJson.object();
            o.put("access_token", c.accessToken());
            o.put("token_type", "bearer");
            return HttpResp.json(200, o);
        }
    }

    private HttpResp debugToken(HttpReq req) {
        String input = req.query.get("input_token");
        String access = bearer(req);
        synchronized (store) {
            if (access == null || access.isBlank()) {
                throw GraphException.graph(400, 100, null, "OAuthException",
                        "(#100) You must provide an app access token, or a user access token that is an owner or"
                                + " developer of the app");
            }
            boolean validCaller;
            int bar = access.indexOf('|');
            if (bar > 0) {
                Store.App app = store.apps.get(access.substring(0, bar));
                validCaller = app != null && app.secret.equals(access.substring(bar + 1));
            } else {
                Store.Token t = store.tokens.get(access);
                validCaller = t != null && (t.expiresAt == null || Instant.now().isBefore(t.expiresAt));
            }
            if (!validCaller) {
                throw GraphException.graph(401, 190, null, "OAuthException", "Invalid OAuth access token - Cannot parse access token");
            }
            if (input == null || input.isBlank()) {
                throw GraphException.graph(400, 100, null, "OAuthException", "The parameter input_token is required");
            }
            ObjectNode root = MetaJson.object();
            ObjectNode d = root.putObject("data");
            Store.Token t = store.tokens.get(input);
            if (t == null) {
                d.put("is_valid", false);
                ObjectNode err = d.putObject("error");
                err.put("code", 190);
                err.put("message", "Invalid OAuth access token.");
                d.putArray("scopes");
                return HttpResp.json(200, root);
            }
            Store.App app = store.apps.get(t.appId);
            long exp = t.expiresAt == null ? 0 : t.expiresAt.getEpochSecond();
            d.put("app_id", t.appId);
            d.put("type", "USER");
            d.put("application", app == null ? t.appId : app.name);
            d.put("data_access_expires_at", exp == 0 ? Instant.now().plus(Duration.ofDays(90)).getEpochSecond() : exp);
            d.put("expires_at", exp);
            d.put("is_valid", exp == 0 || Instant.now().getEpochSecond() < exp);
            ArrayNode scopes = d.putArray("scopes");
            for (String s : new java.util.TreeSet<>(t.scopes)) scopes.add(s);
            scopes.add("public_profile");
            ArrayNode gs = d.putArray("granular_scopes");
            List<String> wabaIds = new ArrayList<>();
            for (Store.Waba w : store.wabas.values()) {
                if (w.ownerAppId.equals(t.appId) || w.subscribedApps.contains(t.appId)) wabaIds.add(w.id);
            }
            for (String s : new java.util.TreeSet<>(t.scopes)) {
                ObjectNode g = gs.addObject();
                g.put("scope", s);
                if (s.equals(MANAGEMENT) || s.equals(MESSAGING)) {
                    ArrayNode ids = g.putArray("target_ids");
                    for (String w : wabaIds) ids.add(w);
                }
            }
            d.put("user_id", t.userId);
            return HttpResp.json(200, root);
        }
    }

    // ================================================================ helpers

    static HttpResp success() {
        ObjectNode o = MetaJson.object();
        o.put("success", true);
        return HttpResp.json(200, o);
    }

    private static void requirePost(HttpReq req, String edge) {
        if (!req.method.equals("POST")) {
            throw GraphException.graph(400, 100, null, "OAuthException",
                    "(#100) Unsupported " + req.method.toLowerCase(Locale.ROOT) + " request on edge " + edge);
        }
    }

    static GraphException paramRequired(String name) {
        return GraphException.invalidParam("The parameter " + name + " is required.");
    }

    static void requireMessagingProduct(JsonNode b) {
        String p = MetaJson.str(b, "messaging_product");
        if (p == null) throw paramRequired("messaging_product");
        if (!p.equals("whatsapp")) throw GraphException.invalidParam("Param messaging_product must be one of {WHATSAPP}");
    }

    static GraphException throughputError() {
        return GraphException.wa(130429, "Rate limit hit",
                "Cloud API message throughput has been reached.");
    }

    static ArrayDeque<Long> trim(ArrayDeque<Long> q, long now, long windowNanos) {
        while (!q.isEmpty() && now - q.peekFirst() >= windowNanos) q.pollFirst();
        return q;
    }

    static Set<String> setOf(String... s) {
        return new LinkedHashSet<>(List.of(s));
    }
}
