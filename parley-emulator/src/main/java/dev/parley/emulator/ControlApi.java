package dev.parley.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulator's own HTTP API under {@code /_emulator/...} (documented in the module README). Errors answer
 * {@code {"error":{"code":"...","message":"..."}}} with a 4xx status.
 */
final class ControlApi {
    private final CloudApiEmulator emu;

    ControlApi(CloudApiEmulator emu) {
        this.emu = emu;
    }

    HttpResp handle(HttpReq req) {
        String route = req.method + " " + req.path.replaceAll("/+$", "");
        try {
            switch (route) {
                case "GET /_emulator/health": return ok(obj("status", "UP"));
                case "POST /_emulator/inbound": return inbound(req);
                case "GET /_emulator/inbound": return inboundList(req);
                case "GET /_emulator/sent": return sent(req);
                case "POST /_emulator/seed": return seed(req);
                case "GET /_emulator/businesses": return businesses();
                case "POST /_emulator/tokens": return tokens(req);
                case "POST /_emulator/subscribe": return subscribe(req);
                case "POST /_emulator/templates": return addTemplate(req);
                case "POST /_emulator/templates/status": return templateStatus(req);
                case "POST /_emulator/faults": return faults(req);
                case "POST /_emulator/media/expire-urls": return expireMediaUrls(req);
                case "DELETE /_emulator/faults": emu.faults().clear(); return ok(obj("cleared", "true"));
                case "POST /_emulator/customers": return customers(req);
                case "POST /_emulator/windows/close": return closeWindow(req);
                case "POST /_emulator/read": emu.customerReads(required(body(req), "wamid")); return ok(obj("read", "true"));
                case "POST /_emulator/oauth/codes": return oauthCode(req);
                case "GET /_emulator/deliveries": return deliveries(req);
                case "POST /_emulator/reset": emu.reset(); return ok(obj("reset", "true"));
                default:
                    return error(404, "not_found", "no control endpoint " + route
                            + "; see parley-emulator/README.md for the control API");
            }
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            return error(m.startsWith("unknown ") ? 404 : 400, m.startsWith("unknown ") ? "not_found" : "invalid_request", m);
        } catch (JacksonException e) {
            return error(400, "invalid_json", "request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private HttpResp inbound(HttpReq req) {
        ObjectNode b = body(req);
        String pn = required(b, "phone_number_id");
        String from = required(b, "from");
        JsonNode msg = b.get("message");
        if (!(msg instanceof ObjectNode)) throw new IllegalArgumentException("message is required: an object in Meta's shape, e.g. {\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        byte[] bytes = null;
        String mime = null;
        JsonNode media = b.has("media") ? b.get("media") : msg.get("media");
        if (media != null) {
            String data = MetaJson.str(media, "data");
            if (data == null) throw new IllegalArgumentException("media.data must be base64 text");
            try {
                bytes = Base64.getDecoder().decode(data.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("media.data is not valid base64");
            }
            mime = MetaJson.str(media, "mime_type");
        }
        ObjectNode m = ((ObjectNode) msg).deepCopy();
        m.remove("media");
        String wamid = emu.inbound(pn, from, MetaJson.str(b, "name"), m, bytes, mime);
        return HttpResp.json(202, obj("wamid", wamid));
    }

    private HttpResp inboundList(HttpReq req) {
        String pn = req.query.get("phone_number_id");
        if (pn == null) throw new IllegalArgumentException("query parameter phone_number_id is required");
        ObjectNode root = MetaJson.object();
        ArrayNode data = root.putArray("data");
        synchronized (emu.store) {
            emu.store.inbound.values().stream().filter(m -> m.phoneNumberId.equals(pn))
                    .sorted((a, c) -> a.at.compareTo(c.at)).forEach(m -> {
                        ObjectNode o = data.addObject();
                        o.put("wamid", m.wamid);
                        o.put("from", m.from);
                        o.put("status", m.status);
                        o.put("received_at", m.at.toString());
                    });
        }
        return ok(root);
    }

    private HttpResp sent(HttpReq req) {
        String pn = req.query.get("phone_number_id");
        if (pn == null) throw new IllegalArgumentException("query parameter phone_number_id is required");
        synchronized (emu.store) {
            if (!emu.store.numbers.containsKey(pn)) throw new IllegalArgumentException("unknown phone number id " + pn);
        }
        ObjectNode root = MetaJson.object();
        ArrayNode data = root.putArray("data");
        for (SentMessage s : emu.sent(pn)) {
            ObjectNode o = data.addObject();
            o.put("wamid", s.wamid());
            o.put("to", s.to());
            o.put("type", s.type());
            o.put("status", s.status());
            if (s.errorCode() != null) o.put("error_code", s.errorCode().intValue());
            o.put("accepted_at", s.acceptedAt().toString());
            try {
                o.set("request", MetaJson.parse(s.requestBody()));
            } catch (JacksonException e) {
                o.put("request", s.requestBody());
            }
        }
        return ok(root);
    }

    private HttpResp seed(HttpReq req) {
        ObjectNode b = body(req);
        Seed.Builder s = Seed.builder();
        if (b.has("app_id")) s.appId(text(b, "app_id"));
        if (b.has("app_secret")) s.appSecret(text(b, "app_secret"));
        if (b.has("access_token")) s.accessToken(text(b, "access_token"));
        if (b.has("waba_id")) s.wabaId(text(b, "waba_id"));
        if (b.has("phone_number_id")) s.phoneNumberId(text(b, "phone_number_id"));
        if (b.has("display_phone_number")) s.displayPhoneNumber(text(b, "display_phone_number"));
        if (b.has("verified_name")) s.verifiedName(text(b, "verified_name"));
        if (b.has("webhook_url")) s.webhookUrl(text(b, "webhook_url"));
        if (b.has("verify_token")) s.verifyToken(text(b, "verify_token"));
        SeededBusiness sb = emu.seed(s.build());
        ObjectNode o = MetaJson.object();
        o.put("app_id", sb.appId());
        o.put("app_secret", sb.appSecret());
        o.put("access_token", sb.accessToken());
        o.put("waba_id", sb.wabaId());
        o.put("phone_number_id", sb.phoneNumberId());
        o.put("display_phone_number", sb.displayPhoneNumber());
        o.put("verified_name", sb.verifiedName());
        o.put("hello_world_template_id", sb.helloWorldTemplateId());
        return HttpResp.json(201, o);
    }

    private HttpResp businesses() {
        ObjectNode root = MetaJson.object();
        ArrayNode data = root.putArray("data");
        synchronized (emu.store) {
            for (Store.Waba w : emu.store.wabas.values()) {
                ObjectNode o = data.addObject();
                o.put("waba_id", w.id);
                o.put("app_id", w.ownerAppId);
                Store.App app = emu.store.apps.get(w.ownerAppId);
                o.put("callback_url", app == null ? null : app.callbackUrl);
                o.put("webhook_verified", app != null && app.verified);
                ArrayNode nums = o.putArray("phone_numbers");
                for (String id : w.numbers) {
                    Store.PhoneNumber pn = emu.store.numbers.get(id);
                    ObjectNode n = nums.addObject();
                    n.put("phone_number_id", pn.id);
                    n.put("display_phone_number", pn.display);
                    n.put("verified_name", pn.verifiedName);
                }
            }
        }
        return ok(root);
    }

    private HttpResp tokens(HttpReq req) {
        ObjectNode b = body(req);
        String token = required(b, "token");
        String appId = required(b, "app_id");
        Set<String> scopes = new LinkedHashSet<>(Store.ALL_SCOPES);
        if (b.has("scopes")) {
            scopes.clear();
            JsonNode s = b.get("scopes");
            if (!s.isArray()) throw new IllegalArgumentException("scopes must be an array of strings");
            for (JsonNode x : s) scopes.add(x.asString(""));
        }
        Instant expires = null;
        if (b.has("expires_at") && !b.get("expires_at").isNull()) {
            JsonNode e = b.get("expires_at");
            try {
                expires = e.isNumber() ? Instant.ofEpochSecond(e.asLong()) : Instant.parse(e.asString(""));
            } catch (DateTimeParseException ex) {
                throw new IllegalArgumentException("expires_at must be epoch seconds or an ISO-8601 instant");
            }
        } else if (b.has("expires_in")) {
            expires = Instant.now().plusSeconds(b.get("expires_in").asLong());
        }
        emu.addAccessToken(token, appId, scopes, expires);
        return HttpResp.json(201, obj("token", token));
    }

    private HttpResp subscribe(HttpReq req) {
        ObjectNode b = body(req);
        emu.subscribe(required(b, "waba_id"), required(b, "callback_url"), required(b, "verify_token"));
        return HttpResp.json(202, obj("handshake", "started"));
    }

    private HttpResp addTemplate(HttpReq req) {
        ObjectNode b = body(req);
        JsonNode comps = b.get("components");
        if (comps == null || !comps.isArray()) throw new IllegalArgumentException("components is required (an array, as in Meta's template create)");
        String id = emu.addTemplate(required(b, "waba_id"), required(b, "name"), required(b, "language"),
                b.has("category") ? text(b, "category") : "UTILITY", MetaJson.write(comps),
                b.has("status") ? text(b, "status") : "APPROVED");
        return HttpResp.json(201, obj("id", id));
    }

    private HttpResp templateStatus(HttpReq req) {
        ObjectNode b = body(req);
        String id = MetaJson.str(b, "template_id");
        if (id == null) {
            id = emu.templateId(required(b, "waba_id"), required(b, "name"), required(b, "language"));
            if (id == null) throw new IllegalArgumentException("unknown template " + b.get("name") + " in " + b.get("language"));
        }
        emu.setTemplateStatus(id, required(b, "status"), MetaJson.str(b, "reason"));
        return ok(obj("id", id));
    }

    private HttpResp faults(HttpReq req) {
        ObjectNode b = body(req);
        Faults f = emu.faults();
        if (b.has("seed")) f.seed(b.get("seed").asLong());
        if (b.has("hold_ms")) f.holdFor(Duration.ofMillis(b.get("hold_ms").asLong()));
        String pn = MetaJson.str(b, "phone_number_id");
        if (b.has("kind")) {
            Faults.Kind kind = Faults.Kind.parse(text(b, "kind"));
            if (b.has("next")) f.failNext(b.get("next").asInt(), kind, pn);
            if (b.has("share")) f.share(kind, b.get("share").asDouble(), pn);
            if (!b.has("next") && !b.has("share")) throw new IllegalArgumentException("give share (0..1) or next (a count) with kind");
        }
        return ok(obj("faults", f.describe()));
    }

    private HttpResp expireMediaUrls(HttpReq req) {
        ObjectNode b = body(req);
        String mediaId = required(b, "media_id");
        if (b.has("next")) emu.expireNextMediaUrls(mediaId, b.get("next").asInt());
        else emu.expireMediaUrls(mediaId);
        ObjectNode o = obj("media_id", mediaId);
        o.put("urls_issued", emu.mediaUrlsIssued(mediaId));
        return ok(o);
    }

    private HttpResp customers(HttpReq req) {
        ObjectNode b = body(req);
        String waId = required(b, "wa_id");
        if (!b.has("on_whatsapp") || !b.get("on_whatsapp").isBoolean()) throw new IllegalArgumentException("on_whatsapp (true/false) is required");
        emu.setOnWhatsApp(waId, b.get("on_whatsapp").asBoolean());
        return ok(obj("wa_id", waId));
    }

    private HttpResp closeWindow(HttpReq req) {
        ObjectNode b = body(req);
        emu.closeWindow(required(b, "phone_number_id"), required(b, "wa_id"));
        return ok(obj("closed", "true"));
    }

    private HttpResp oauthCode(HttpReq req) {
        ObjectNode b = body(req);
        return HttpResp.json(201, obj("code", emu.createOAuthCode(required(b, "app_id"), required(b, "access_token"))));
    }

    private HttpResp deliveries(HttpReq req) {
        List<DeliveryAttempt> log = emu.deliveryLog();
        int limit = req.query.containsKey("limit") ? Integer.parseInt(req.query.get("limit")) : log.size();
        ObjectNode root = MetaJson.object();
        ArrayNode data = root.putArray("data");
        for (DeliveryAttempt a : log.subList(Math.max(0, log.size() - limit), log.size())) {
            ObjectNode o = data.addObject();
            o.put("delivery_id", a.deliveryId());
            o.put("method", a.method());
            o.put("at", a.at().toString());
            o.put("url", a.url());
            o.put("attempt", a.attempt());
            o.put("status_code", a.statusCode());
            o.put("error", a.error());
            o.put("succeeded", a.succeeded());
            o.put("dropped", a.dropped());
            o.put("signature", a.signature());
            o.put("body", a.body());
        }
        return ok(root);
    }

    // ---------------------------------------------------------------- helpers

    private static ObjectNode body(HttpReq req) {
        if (req.body.length == 0) return MetaJson.object();
        JsonNode n = MetaJson.parse(req.bodyText());
        if (!(n instanceof ObjectNode)) throw new IllegalArgumentException("request body must be a JSON object");
        return (ObjectNode) n;
    }

    private static String required(ObjectNode b, String field) {
        String v = text(b, field);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(field + " is required");
        return v;
    }

    private static String text(ObjectNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) return null;
        if (v.isString()) return v.stringValue();
        if (v.isNumber() || v.isBoolean()) return v.asString();
        throw new IllegalArgumentException(field + " must be a string");
    }

    private static ObjectNode obj(String k, String v) {
        ObjectNode o = MetaJson.object();
        o.put(k, v);
        return o;
    }

    private static HttpResp ok(ObjectNode o) {
        return HttpResp.json(200, o);
    }

    private static HttpResp error(int status, String code, String message) {
        ObjectNode root = MetaJson.object();
        ObjectNode e = root.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return HttpResp.json(status, root);
    }
}
