package dev.parley.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's WhatsApp Cloud API on localhost: the Graph endpoints under {@code /vNN.N/...} with Meta's validation,
 * success shapes and error objects; signed, batched, retried webhooks; throughput limits; fault injection; and a
 * control API under {@code /_emulator/...}. Start it embedded with {@link #start(EmulatorOptions)} or from the
 * command line with {@link EmulatorMain}. Several instances can run in one JVM; they share nothing.
 */
public final class CloudApiEmulator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CloudApiEmulator.class.getName());
    static final Duration WINDOW = Duration.ofHours(24);
    static final Duration UPLOADED_MEDIA_TTL = Duration.ofDays(30);
    static final Duration INBOUND_MEDIA_TTL = Duration.ofDays(7);

    final EmulatorOptions options;
    final Store store = new Store();
    final Faults faults;
    final ScheduledThreadPoolExecutor scheduler;
    final WebhookDispatcher webhooks;
    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final GraphApi graph;
    private final ControlApi control;
    private final List<Seed> startupSeeds = new ArrayList<>();
    private final String baseUrl;

    private CloudApiEmulator(EmulatorOptions options) {
        this.options = options;
        this.faults = new Faults(options.faultSeed());
        this.scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads("emulator-scheduler"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.webhooks = new WebhookDispatcher(store, options, scheduler);
        this.pool = new ThreadPoolExecutor(options.serverThreads(), options.serverThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), daemonThreads("emulator-http"), new ThreadPoolExecutor.CallerRunsPolicy());
        try {
            this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port(), e);
        }
        this.server.setExecutor(pool);
        this.server.createContext("/", this::handle);
        this.baseUrl = "http://" + hostForUrl(options.host()) + ":" + server.getAddress().getPort();
        this.graph = new GraphApi(this);
        this.control = new ControlApi(this);
    }

    /** Starts an emulator; port 0 picks a free port. */
    public static CloudApiEmulator start(EmulatorOptions options) {
        CloudApiEmulator e = new CloudApiEmulator(options == null ? EmulatorOptions.defaults() : options);
        e.server.start();
        return e;
    }

    /** Starts an emulator with the defaults on a free port. */
    public static CloudApiEmulator start() {
        return start(EmulatorOptions.defaults());
    }

    /** {@code http://127.0.0.1:<port>}; the Graph API lives at {@code baseUrl() + "/v25.0/..."} (any vNN.N works). */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public EmulatorOptions options() {
        return options;
    }

    // ================================================================ seeding and accounts

    /**
     * Creates an app (id, secret), a WABA with one registered phone number, an access token with every scope and no
     * expiry, and the approved template {@code hello_world} (en_US, body "Hello World"). With a webhook URL the app
     * is subscribed to it and the verification handshake starts. Ids already taken by another business are an error.
     */
    public SeededBusiness seed(Seed seed) {
        if (seed == null) throw new IllegalArgumentException("seed is required");
        String templateId;
        synchronized (store) {
            Store.App app = store.apps.get(seed.appId());
            if (app != null && !app.secret.equals(seed.appSecret())) {
                throw new IllegalArgumentException("app " + seed.appId() + " already exists with another secret");
            }
            if (store.wabas.containsKey(seed.wabaId()) || store.numbers.containsKey(seed.phoneNumberId())
                    || store.media.containsKey(seed.wabaId())) {
                throw new IllegalArgumentException("WABA " + seed.wabaId() + " or phone number " + seed.phoneNumberId()
                        + " already exists");
            }
            if (seed.wabaId().equals(seed.phoneNumberId()) || seed.wabaId().equals(seed.appId())
                    || seed.phoneNumberId().equals(seed.appId())) {
                throw new IllegalArgumentException("appId, wabaId and phoneNumberId must differ");
            }
            Store.Token existing = store.tokens.get(seed.accessToken());
            if (existing != null && !existing.appId.equals(seed.appId())) {
                throw new IllegalArgumentException("access token already belongs to app " + existing.appId);
            }
            if (app == null) {
                app = new Store.App(seed.appId(), seed.appSecret(), seed.verifiedName() + " App");
                store.apps.put(app.id, app);
            }
            Store.Waba waba = new Store.Waba(seed.wabaId(), seed.appId(), seed.verifiedName());
            waba.subscribedApps.add(seed.appId());
            waba.numbers.add(seed.phoneNumberId());
            store.wabas.put(waba.id, waba);
            store.numbers.put(seed.phoneNumberId(), new Store.PhoneNumber(seed.phoneNumberId(), seed.wabaId(),
                    seed.displayPhoneNumber(), seed.verifiedName()));
            store.tokens.put(seed.accessToken(), new Store.Token(seed.accessToken(), seed.appId(), Store.ALL_SCOPES, null));
            ObjectNode header = MetaJson.object();
            header.put("type", "HEADER");
            header.put("format", "TEXT");
            header.put("text", "Hello World");
            ObjectNode body = MetaJson.object();
            body.put("type", "BODY");
            body.put("text", "Hello World");
            ObjectNode footer = MetaJson.object();
            footer.put("type", "FOOTER");
            footer.put("text", "WhatsApp Business Platform sample message");
            templateId = graph.insertTemplate(waba.id, "hello_world", "en_US", "UTILITY", "APPROVED",
                    MetaJson.array().add(header).add(body).add(footer), "POSITIONAL").id;
        }
        if (seed.webhookUrl() != null) subscribe(seed.wabaId(), seed.webhookUrl(), seed.verifyToken());
        return new SeededBusiness(seed.appId(), seed.appSecret(), seed.accessToken(), seed.wabaId(),
                seed.phoneNumberId(), seed.displayPhoneNumber(), seed.verifiedName(), templateId);
    }

    /** Seeds a business and remembers it, so {@link #reset()} seeds it again. Used by the command line. */
    public SeededBusiness seedAtStartup(Seed seed) {
        SeededBusiness b = seed(seed);
        synchronized (startupSeeds) {
            startupSeeds.add(seed);
        }
        return b;
    }

    /** Adds another phone number to an existing WABA. */
    public void addPhoneNumber(String wabaId, String phoneNumberId, String displayPhoneNumber, String verifiedName) {
        synchronized (store) {
            Store.Waba waba = requireWaba(wabaId);
            if (phoneNumberId == null || phoneNumberId.isBlank() || !phoneNumberId.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("phoneNumberId must be digits");
            }
            if (store.numbers.containsKey(phoneNumberId) || store.wabas.containsKey(phoneNumberId)) {
                throw new IllegalArgumentException("id " + phoneNumberId + " already exists");
            }
            store.numbers.put(phoneNumberId, new Store.PhoneNumber(phoneNumberId, wabaId,
                    requireText(displayPhoneNumber, "displayPhoneNumber"), requireText(verifiedName, "verifiedName")));
            waba.numbers.add(phoneNumberId);
        }
    }

    /**
     * Registers an access token for an app. An expired token answers 190; a token without
     * {@code whatsapp_business_messaging} gets code 10 on sends, one without {@code whatsapp_business_management}
     * gets code 200 on management calls. {@code expiresAt} null = never expires.
     */
    public void addAccessToken(String token, String appId, Set<String> scopes, Instant expiresAt) {
        requireText(token, "token");
        synchronized (store) {
            if (!store.apps.containsKey(appId)) throw new IllegalArgumentException("unknown app " + appId);
            store.tokens.put(token, new Store.Token(token, appId, scopes == null ? Set.of() : scopes, expiresAt));
        }
    }

    /**
     * Sets the callback of the WABA's app and subscribes that app to the WABA. The verification GET is done as Meta
     * does and retried every {@code handshakeRetryInterval} until it succeeds; updates wait until then.
     */
    public void subscribe(String wabaId, String callbackUrl, String verifyToken) {
        String appId;
        synchronized (store) {
            Store.Waba waba = requireWaba(wabaId);
            requireText(callbackUrl, "callbackUrl");
            if (!(callbackUrl.startsWith("http://") || callbackUrl.startsWith("https://"))) {
                throw new IllegalArgumentException("callbackUrl must be an http(s) URL, was " + callbackUrl);
            }
            Store.App app = store.apps.get(waba.ownerAppId);
            app.callbackUrl = callbackUrl;
            app.verifyToken = requireText(verifyToken, "verifyToken");
            waba.subscribedApps.add(app.id);
            appId = app.id;
        }
        webhooks.startHandshake(appId);
    }

    /** Whether the app's callback passed the verification handshake. */
    public boolean webhookVerified(String appId) {
        synchronized (store) {
            Store.App app = store.apps.get(appId);
            return app != null && app.verified;
        }
    }

    /** A code that {@code GET /oauth/access_token} exchanges once for {@code businessAccessToken} (registered with every scope if new). */
    public String createOAuthCode(String appId, String businessAccessToken) {
        requireText(businessAccessToken, "businessAccessToken");
        synchronized (store) {
            if (!store.apps.containsKey(appId)) throw new IllegalArgumentException("unknown app " + appId);
            Store.Token t = store.tokens.get(businessAccessToken);
            if (t == null) {
                store.tokens.put(businessAccessToken, new Store.Token(businessAccessToken, appId, Store.ALL_SCOPES, null));
            } else if (!t.appId.equals(appId)) {
                throw new IllegalArgumentException("token belongs to app " + t.appId + ", not " + appId);
            }
            String code = "AQ" + Ids.alnum(180);
            store.oauthCodes.put(code, new Store.OAuthCode(appId, businessAccessToken));
            return code;
        }
    }

    // ================================================================ templates

    /**
     * Adds a template directly (no review), e.g. {@code addTemplate(waba, "order_update", "en_US", "UTILITY",
     * "[{\"type\":\"BODY\",\"text\":\"Order {{1}} is {{2}}\"}]", "APPROVED")}. Returns the template id.
     */
    public String addTemplate(String wabaId, String name, String language, String category, String componentsJson,
                              String status) {
        JsonNode components;
        try {
            components = MetaJson.parse(componentsJson);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("componentsJson is not valid JSON: " + e.getOriginalMessage());
        }
        ObjectNode req = MetaJson.object();
        req.put("name", name);
        req.put("language", language);
        req.put("category", category);
        req.set("components", components);
        synchronized (store) {
            requireWaba(wabaId);
            try {
                Store.Template t = graph.createTemplate(wabaId, req, status == null ? "APPROVED" : status.toUpperCase(Locale.ROOT));
                return t.id;
            } catch (GraphException e) {
                throw new IllegalArgumentException(e.getMessage() + (e.details == null ? "" : ": " + e.details)
                        + (e.userMessage == null ? "" : ": " + e.userMessage));
            }
        }
    }

    /**
     * Changes a template's status as Meta's review would (APPROVED, REJECTED, PAUSED, DISABLED, ...) and sends the
     * {@code message_template_status_update} webhook. {@code reason} may be null (NONE).
     */
    public void setTemplateStatus(String templateId, String status, String reason) {
        graph.changeTemplateStatus(templateId, status, reason);
    }

    public void approveTemplate(String templateId) {
        setTemplateStatus(templateId, "APPROVED", null);
    }

    public void rejectTemplate(String templateId, String reason) {
        setTemplateStatus(templateId, "REJECTED", reason == null ? "INVALID_FORMAT" : reason);
    }

    /** The id of a WABA's template by name and language, or null. */
    public String templateId(String wabaId, String name, String language) {
        synchronized (store) {
            for (Store.Template t : store.templatesOf(wabaId)) {
                if (t.name.equals(name) && t.language.equals(language)) return t.id;
            }
            return null;
        }
    }

    // ================================================================ simulated customers

    /**
     * A customer message to {@code phoneNumberId}, in Meta's shape ({@code {"type":"text","text":{"body":"hi"}}}):
     * delivered signed to the callback, opens the customer's 24-hour window; returns its wamid. Media types without
     * an id get stored placeholder bytes so the id is downloadable.
     */
    public String inbound(String phoneNumberId, String from, String name, String messageJson) {
        return inbound(phoneNumberId, from, name, messageJson, null, null);
    }

    /** Like {@link #inbound(String, String, String, String)} for a media message whose bytes the emulator stores. */
    public String inbound(String phoneNumberId, String from, String name, String messageJson, byte[] mediaBytes,
                          String mediaMimeType) {
        JsonNode msg;
        try {
            msg = MetaJson.parse(messageJson);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("messageJson is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(msg instanceof ObjectNode)) throw new IllegalArgumentException("message must be a JSON object");
        return inbound(phoneNumberId, from, name, (ObjectNode) msg, mediaBytes, mediaMimeType);
    }

    String inbound(String phoneNumberId, String from, String name, ObjectNode msg, byte[] mediaBytes, String mediaMime) {
        String waId = from == null ? "" : from.replaceAll("[+\\-() ]", "");
        if (waId.isEmpty() || !waId.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("from must be a phone number (digits, optional +), was '" + from + "'");
        }
        String type = MetaJson.str(msg, "type");
        if (type == null || type.isBlank()) throw new IllegalArgumentException("message.type is required");
        if (!msg.has(type) && !type.equals("unsupported") && !type.equals("unknown")) {
            throw new IllegalArgumentException("message." + type + " is required for type " + type);
        }
        String wamid = Ids.wamid();
        Instant now = Instant.now();
        WebhookDispatcher.Update update;
        synchronized (store) {
            Store.PhoneNumber pn = store.numbers.get(phoneNumberId);
            if (pn == null) throw new IllegalArgumentException("unknown phone number id " + phoneNumberId);
            ObjectNode out = MetaJson.object();
            if (msg.has("context")) out.set("context", msg.get("context"));
            out.put("from", waId);
            out.put("id", wamid);
            out.put("timestamp", Long.toString(now.getEpochSecond()));
            for (var e : msg.properties()) {
                String k = e.getKey();
                if (!k.equals("context") && !k.equals("type") && !k.equals("from") && !k.equals("id")
                        && !k.equals("timestamp")) {
                    out.set(k, e.getValue().deepCopy());
                }
            }
            out.put("type", type);
            if (GraphApi.MEDIA_TYPES.contains(type) && out.get(type) instanceof ObjectNode) {
                ObjectNode media = (ObjectNode) out.get(type);
                if (!media.has("id")) {
                    String mime = mediaMime != null ? mediaMime : MetaJson.str(media, "mime_type");
                    if (mime == null) mime = defaultMime(type, media);
                    byte[] bytes = mediaBytes != null ? mediaBytes
                            : ("emulated " + type + " from " + waId).getBytes(StandardCharsets.UTF_8);
                    Store.Media m = storeMedia(phoneNumberId, bytes, mime, MetaJson.str(media, "filename"),
                            now.plus(INBOUND_MEDIA_TTL));
                    ObjectNode filled = MetaJson.object();
                    for (var e : media.properties()) filled.set(e.getKey(), e.getValue());
                    filled.put("mime_type", mime);
                    filled.put("sha256", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(m.sha256Hex)));
                    filled.put("id", m.id);
                    if (type.equals("audio") && !filled.has("voice")) filled.put("voice", false);
                    if (type.equals("sticker") && !filled.has("animated")) filled.put("animated", false);
                    out.set(type, filled);
                }
            }
            pn.lastInboundByCustomer.put(waId, now);
            store.inbound.put(wamid, new Store.InboundMessage(wamid, phoneNumberId, waId, now));
            ObjectNode contact = MetaJson.object();
            contact.putObject("profile").put("name", name == null || name.isBlank() ? waId : name);
            contact.put("wa_id", waId);
            update = WebhookDispatcher.Update.message(pn.wabaId, pn.id, pn.display, out, contact);
        }
        webhooks.enqueue(update);
        return wamid;
    }

    private static String defaultMime(String type, ObjectNode media) {
        switch (type) {
            case "image": return "image/jpeg";
            case "video": return "video/mp4";
            case "audio": return media.path("voice").asBoolean(false) ? "audio/ogg; codecs=opus" : "audio/mpeg";
            case "sticker": return "image/webp";
            default: return "application/pdf";
        }
    }

    Store.Media storeMedia(String phoneNumberId, byte[] bytes, String mime, String filename, Instant expiresAt) {
        String id;
        do {
            id = Ids.numeric();
        } while (store.media.containsKey(id) || store.numbers.containsKey(id) || store.wabas.containsKey(id));
        Store.Media m = new Store.Media(id, phoneNumberId, bytes, mime, sha256Hex(bytes), filename, expiresAt);
        store.media.put(id, m);
        return m;
    }

    /** Marks a customer as not on WhatsApp (messages to them fail with 131026), or back on it. */
    public void setOnWhatsApp(String waId, boolean onWhatsApp) {
        String id = requireText(waId, "waId").replaceAll("[+\\-() ]", "");
        synchronized (store) {
            if (onWhatsApp) store.notOnWhatsApp.remove(id); else store.notOnWhatsApp.add(id);
        }
    }

    /** Closes a customer's 24-hour window with a number, as if their last message were older than 24 hours. */
    public void closeWindow(String phoneNumberId, String waId) {
        synchronized (store) {
            Store.PhoneNumber pn = store.numbers.get(phoneNumberId);
            if (pn == null) throw new IllegalArgumentException("unknown phone number id " + phoneNumberId);
            pn.lastInboundByCustomer.remove(waId.replaceAll("[+\\-() ]", ""));
        }
    }

    /** The customer reads an outbound message now (useful with autoRead off): a {@code read} status is sent. */
    public void customerReads(String wamid) {
        graph.customerReads(wamid);
    }

    /** Status of an inbound message: {@code received}, or {@code read} once the business marked it read; null if unknown. */
    public String inboundStatus(String wamid) {
        synchronized (store) {
            Store.InboundMessage m = store.inbound.get(wamid);
            return m == null ? null : m.status;
        }
    }

    // ================================================================ observation

    /** Every message the Graph API accepted from {@code phoneNumberId}, oldest first, with its current status. */
    public List<SentMessage> sent(String phoneNumberId) {
        synchronized (store) {
            Store.PhoneNumber pn = store.numbers.get(phoneNumberId);
            if (pn == null) return List.of();
            List<SentMessage> list = new ArrayList<>(pn.sent.size());
            for (Store.OutMessage m : pn.sent) list.add(m.snapshot());
            return list;
        }
    }

    /**
     * Every download URL handed out so far for the media has expired, as if its lifetime (5 minutes at Meta) had
     * passed: downloading it answers 404, like Meta; {@code GET /{media_id}} hands out a fresh one.
     */
    public void expireMediaUrls(String mediaId) {
        synchronized (store) {
            store.mediaUrls.replaceAll((hash, u) -> u.mediaId().equals(mediaId)
                    ? new Store.MediaUrl(u.mediaId(), Instant.now().minusSeconds(1)) : u);
        }
    }

    /**
     * The next {@code count} download URLs handed out for the media have expired by the time they are used, as if
     * the download came more than the URL's lifetime after {@code GET /{media_id}} (a download that waited in a
     * queue): downloading them answers 404, like Meta. Later URLs live normally.
     */
    public void expireNextMediaUrls(String mediaId, int count) {
        synchronized (store) {
            if (count <= 0) store.expireNextMediaUrls.remove(mediaId);
            else store.expireNextMediaUrls.put(mediaId, count);
        }
    }

    /** How many download URLs {@code GET /{media_id}} handed out for the media. */
    public int mediaUrlsIssued(String mediaId) {
        synchronized (store) {
            return store.mediaUrlsIssued.getOrDefault(mediaId, 0);
        }
    }

    /** Fault injection for Graph requests. */
    public Faults faults() {
        return faults;
    }

    /** Every webhook POST attempt (and handshake GET), oldest first, up to {@code deliveryLogLimit}. */
    public List<DeliveryAttempt> deliveryLog() {
        return webhooks.log();
    }

    /**
     * Forgets everything (businesses, tokens, messages, media, pending webhooks, log, faults) and seeds again the
     * businesses given at startup ({@link #seedAtStartup}).
     */
    public void reset() {
        List<Seed> seeds;
        synchronized (startupSeeds) {
            seeds = List.copyOf(startupSeeds);
        }
        synchronized (store) {
            for (Store.App a : store.apps.values()) a.handshakeGeneration++;
            store.apps.clear();
            store.wabas.clear();
            store.numbers.clear();
            store.tokens.clear();
            store.templates.clear();
            store.media.clear();
            store.mediaUrls.clear();
            store.expireNextMediaUrls.clear();
            store.mediaUrlsIssued.clear();
            store.outbound.clear();
            store.inbound.clear();
            store.oauthCodes.clear();
            store.notOnWhatsApp.clear();
        }
        webhooks.reset();
        faults.clear();
        for (Seed s : seeds) seed(s);
    }

    /** Stops the server and all webhook activity. */
    @Override
    public void close() {
        webhooks.close();
        server.stop(0);
        scheduler.shutdownNow();
        pool.shutdownNow();
    }

    // ================================================================ HTTP plumbing

    private void handle(HttpExchange ex) {
        try {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpReq req = new HttpReq(ex, body);
            if (req.path.startsWith("/_emulator/") || req.path.equals("/_emulator")) {
                send(ex, control.handle(req));
            } else if (req.path.startsWith("/_lookaside/")) {
                send(ex, graph.download(req));
            } else {
                handleGraph(req);
            }
        } catch (IOException e) {
            ex.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "emulator request failed", e);
            try {
                ObjectNode err = MetaJson.object();
                ObjectNode o = err.putObject("error");
                o.put("message", "An unknown error has occurred.");
                o.put("type", "OAuthException");
                o.put("code", 1);
                o.put("fbtrace_id", Ids.fbtrace());
                send(ex, HttpResp.json(500, err));
            } catch (RuntimeException | IOException ignored) {
                ex.close();
            }
        }
    }

    private void handleGraph(HttpReq req) throws IOException {
        Faults.Kind fault = faults.pick(graph.addressedNumber(req));
        if (fault == null) {
            send(req.exchange, graph.handleSafely(req));
            return;
        }
        switch (fault) {
            case DROP_CONNECTION:
                req.exchange.close();   // no response headers sent: the JDK server closes the connection
                return;
            case TIMEOUT:
                later(faults.hold(), req.exchange::close);
                return;
            case SLOW:
                later(faults.hold(), () -> {
                    try {
                        send(req.exchange, graph.handleSafely(req));
                    } catch (IOException e) {
                        req.exchange.close();
                    }
                });
                return;
            default:
                send(req.exchange, graph.faultResponse(fault));
        }
    }

    private void later(Duration d, Runnable r) {
        try {
            scheduler.schedule(() -> pool.execute(r), d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    static void send(HttpExchange ex, HttpResp r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        byte[] b = r.body();
        if (r.status() == 204 || b.length == 0) {
            ex.sendResponseHeaders(r.status(), -1);
        } else {
            ex.sendResponseHeaders(r.status(), b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
        ex.close();
    }

    // ================================================================ helpers

    Store.Waba requireWaba(String wabaId) {
        Store.Waba w = store.wabas.get(wabaId);
        if (w == null) throw new IllegalArgumentException("unknown WABA " + wabaId);
        return w;
    }

    static String requireText(String v, String name) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException(name + " is required");
        return v;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostForUrl(String host) {
        if (host.equals("0.0.0.0")) return "127.0.0.1";
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
