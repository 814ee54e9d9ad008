package dev.parley.emulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * All of the emulator's state ("Meta's database"). Entities are mutable and every access holds the monitor of
 * the Store instance: one lock keeps invariants simple and is plenty fast for a local emulator.
 */
final class Store {
    static final Set<String> ALL_SCOPES = Set.of("whatsapp_business_management", "whatsapp_business_messaging",
            "business_management");

    final Map<String, App> apps = new LinkedHashMap<>();
    final Map<String, Waba> wabas = new LinkedHashMap<>();
    final Map<String, PhoneNumber> numbers = new LinkedHashMap<>();
    final Map<String, Token> tokens = new HashMap<>();
    final Map<String, Template> templates = new HashMap<>();
    final Map<String, Media> media = new HashMap<>();
    final Map<String, MediaUrl> mediaUrls = new HashMap<>();
    /** Media id -> how many of the next download URLs handed out for it are already expired (a test hook). */
    final Map<String, Integer> expireNextMediaUrls = new HashMap<>();
    /** Media id -> how many download URLs {@code GET /{media_id}} handed out for it. */
    final Map<String, Integer> mediaUrlsIssued = new HashMap<>();
    final Map<String, OutMessage> outbound = new HashMap<>();
    final Map<String, InboundMessage> inbound = new HashMap<>();
    final Map<String, OAuthCode> oauthCodes = new HashMap<>();
    final Set<String> notOnWhatsApp = new HashSet<>();
    long templateSeq;

    static final class App {
        final String id;
        final String secret;
        String name;
        String callbackUrl;
        String verifyToken;
        boolean verified;
        int handshakeGeneration;

        App(String id, String secret, String name) {
            this.id = id;
            this.secret = secret;
            this.name = name;
        }
    }

    static final class Waba {
        final String id;
        final String ownerAppId;
        String name;
        final Set<String> subscribedApps = new LinkedHashSet<>();
        final List<String> numbers = new ArrayList<>();
        final String namespace = Ids.alnum(8).toLowerCase() + "_" + Ids.alnum(4).toLowerCase();

        Waba(String id, String ownerAppId, String name) {
            this.id = id;
            this.ownerAppId = ownerAppId;
            this.name = name;
        }
    }

    static final class PhoneNumber {
        final String id;
        final String wabaId;
        final String display;
        final String verifiedName;
        boolean registered = true;
        String pin;
        String quality = "GREEN";
        final Map<String, Instant> lastInboundByCustomer = new HashMap<>();
        final ArrayDeque<Long> sendTimes = new ArrayDeque<>();
        final Map<String, ArrayDeque<Long>> pairTimes = new HashMap<>();
        final ArrayDeque<OutMessage> sent = new ArrayDeque<>();

        PhoneNumber(String id, String wabaId, String display, String verifiedName) {
            this.id = id;
            this.wabaId = wabaId;
            this.display = display;
            this.verifiedName = verifiedName;
        }
    }

    static final class Token {
        final String token;
        final String appId;
        final Set<String> scopes;
        final Instant expiresAt;
        final String userId = Ids.numeric();

        Token(String token, String appId, Set<String> scopes, Instant expiresAt) {
            this.token = token;
            this.appId = appId;
            this.scopes = Set.copyOf(scopes);
            this.expiresAt = expiresAt;
        }
    }

    static final class Template {
        final String id;
        final String wabaId;
        final String name;
        final String language;
        String category;
        String status;
        final JsonNode components;
        final String parameterFormat;
        final long seq;

        Template(String id, String wabaId, String name, String language, String category, String status,
                 JsonNode components, String parameterFormat, long seq) {
            this.id = id;
            this.wabaId = wabaId;
            this.name = name;
            this.language = language;
            this.category = category;
            this.status = status;
            this.components = components;
            this.parameterFormat = parameterFormat;
            this.seq = seq;
        }
    }

    static final class Media {
        final String id;
        final String phoneNumberId;
        final byte[] bytes;
        final String mimeType;
        final String sha256Hex;
        final String filename;
        final Instant expiresAt;

        Media(String id, String phoneNumberId, byte[] bytes, String mimeType, String sha256Hex, String filename,
              Instant expiresAt) {
            this.id = id;
            this.phoneNumberId = phoneNumberId;
            this.bytes = bytes;
            this.mimeType = mimeType;
            this.sha256Hex = sha256Hex;
            this.filename = filename;
            this.expiresAt = expiresAt;
        }
    }

    record MediaUrl(String mediaId, Instant expiresAt) {}

    record OAuthCode(String appId, String accessToken) {}

    static final class OutMessage {
        final String wamid;
        final String phoneNumberId;
        final String to;
        final String type;
        final String requestBody;
        final Instant acceptedAt;
        final String bizOpaque;
        final String pricingCategory;
        final boolean template;
        final int apiMajorVersion;
        String status = "accepted";
        Integer errorCode;

        OutMessage(String wamid, String phoneNumberId, String to, String type, String requestBody, Instant acceptedAt,
                   String bizOpaque, String pricingCategory, boolean template, int apiMajorVersion) {
            this.wamid = wamid;
            this.phoneNumberId = phoneNumberId;
            this.to = to;
            this.type = type;
            this.requestBody = requestBody;
            this.acceptedAt = acceptedAt;
            this.bizOpaque = bizOpaque;
            this.pricingCategory = pricingCategory;
            this.template = template;
            this.apiMajorVersion = apiMajorVersion;
        }

        SentMessage snapshot() {
            return new SentMessage(wamid, phoneNumberId, to, type, requestBody, status, errorCode, acceptedAt);
        }
    }

    static final class InboundMessage {
        final String wamid;
        final String phoneNumberId;
        final String from;
        final Instant at;
        String status = "received";

        InboundMessage(String wamid, String phoneNumberId, String from, Instant at) {
            this.wamid = wamid;
            this.phoneNumberId = phoneNumberId;
            this.from = from;
            this.at = at;
        }
    }

    Waba wabaOfNumber(PhoneNumber pn) {
        return wabas.get(pn.wabaId);
    }

    List<Template> templatesOf(String wabaId) {
        List<Template> list = new ArrayList<>();
        for (Template t : templates.values()) if (t.wabaId.equals(wabaId)) list.add(t);
        list.sort((a, b) -> Long.compare(a.seq, b.seq));
        return list;
    }
}
