package dev.parley.emulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivers webhooks as Meta does: verification handshake retried until it succeeds, updates batched per app for a
 * short window (at most {@code maxUpdatesPerPost} per POST, grouped into entries per WABA and changes per phone
 * number), signed with the app secret over the exact bytes sent, retried on any non-200 immediately once and then
 * with exponential backoff for up to 7 days (times the retry time scale). Batches are independent, so one failing
 * POST never blocks later updates.
 */
final class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());
    static final Duration MAX_AGE = Duration.ofDays(7);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    private static final int MAX_PENDING_PER_APP = 200_000;

    /** One update to deliver: a message or status of a phone number, or a WABA-level field such as template status. */
    record Update(String wabaId, String phoneNumberId, String displayPhoneNumber, String kind, ObjectNode item,
                  ObjectNode contact, String field) {
        static Update message(String wabaId, String pnId, String display, ObjectNode message, ObjectNode contact) {
            return new Update(wabaId, pnId, display, "messages", message, contact, "messages");
        }

        static Update status(String wabaId, String pnId, String display, ObjectNode status) {
            return new Update(wabaId, pnId, display, "statuses", status, null, "messages");
        }

        static Update wabaField(String wabaId, String field, ObjectNode value) {
            return new Update(wabaId, null, null, null, value, null, field);
        }
    }

    private final Store store;
    private final EmulatorOptions options;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final AtomicLong deliveryIds = new AtomicLong();
    private final Map<String, List<Update>> pending = new HashMap<>();
    private final Set<String> flushScheduled = new HashSet<>();
    private final ArrayDeque<DeliveryAttempt> log = new ArrayDeque<>();
    private volatile boolean closed;

    WebhookDispatcher(Store store, EmulatorOptions options, ScheduledExecutorService scheduler) {
        this.store = store;
        this.options = options;
        this.scheduler = scheduler;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    void close() {
        closed = true;
    }

    // ---------------------------------------------------------------- handshake

    /** Starts (or restarts) the verification handshake of an app's callback; retried until it succeeds. */
    void startHandshake(String appId) {
        int generation;
        synchronized (store) {
            Store.App app = store.apps.get(appId);
            if (app == null || app.callbackUrl == null) return;
            app.verified = false;
            generation = ++app.handshakeGeneration;
        }
        schedule(() -> handshake(appId, generation, 1), Duration.ZERO);
    }

    private void handshake(String appId, int generation, int attempt) {
        if (closed) return;
        String url;
        String verifyToken;
        synchronized (store) {
            Store.App app = store.apps.get(appId);
            if (app == null || app.handshakeGeneration != generation || app.callbackUrl == null) return;
            url = app.callbackUrl;
            verifyToken = app.verifyToken;
        }
        String challenge = Ids.challenge();
        String full = url + (url.contains("?") ? "&" : "?") + "hub.mode=subscribe&hub.challenge=" + challenge
                + "&hub.verify_token=" + URLEncoder.encode(verifyToken, StandardCharsets.UTF_8);
        Instant at = Instant.now();
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(full)).timeout(options.webhookTimeout()).GET()
                    .header("User-Agent", "facebookplatform/1.0 (+http://developers.facebook.com)").build();
        } catch (IllegalArgumentException e) {
            record(new DeliveryAttempt(0, "GET", at, full, "", null, -1, "invalid callback URL: " + e.getMessage(),
                    attempt, false, true));
            return;
        }
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
            boolean ok = false;
            int status = -1;
            String error;
            if (err != null) {
                error = describe(err);
            } else {
                status = resp.statusCode();
                String body = resp.body() == null ? "" : resp.body();
                ok = status == 200 && body.equals(challenge);
                error = ok ? null : status != 200 ? "answered HTTP " + status
                        : "answered 200 but the body was not the challenge " + challenge + ": '" + abbreviate(body) + "'";
            }
            record(new DeliveryAttempt(0, "GET", at, full, "", null, status, error, attempt, ok, false));
            if (ok) {
                boolean flush = false;
                synchronized (store) {
                    Store.App app = store.apps.get(appId);
                    if (app != null && app.handshakeGeneration == generation) {
                        app.verified = true;
                        flush = true;
                    }
                }
                if (flush) scheduleFlush(appId, Duration.ZERO);
            } else {
                schedule(() -> handshake(appId, generation, attempt + 1), options.handshakeRetryInterval());
            }
        });
    }

    // ---------------------------------------------------------------- batching

    /** Queues an update for every app subscribed to its WABA that has a callback. */
    void enqueue(Update update) {
        List<String> appIds = new ArrayList<>();
        synchronized (store) {
            Store.Waba waba = store.wabas.get(update.wabaId());
            if (waba == null) return;
            for (String appId : waba.subscribedApps) {
                Store.App app = store.apps.get(appId);
                if (app != null && app.callbackUrl != null) appIds.add(appId);
            }
        }
        for (String appId : appIds) {
            boolean schedule;
            synchronized (pending) {
                List<Update> list = pending.computeIfAbsent(appId, k -> new ArrayList<>());
                if (list.size() >= MAX_PENDING_PER_APP) list.remove(0);
                list.add(update);
                schedule = flushScheduled.add(appId);
            }
            if (schedule) schedule(() -> flush(appId), options.batchWindow());
        }
    }

    private void scheduleFlush(String appId, Duration delay) {
        boolean schedule;
        synchronized (pending) {
            schedule = pending.containsKey(appId) && flushScheduled.add(appId);
        }
        if (schedule) schedule(() -> flush(appId), delay);
    }

    private void flush(String appId) {
        String url;
        String secret;
        boolean verified;
        synchronized (store) {
            Store.App app = store.apps.get(appId);
            url = app == null ? null : app.callbackUrl;
            secret = app == null ? null : app.secret;
            verified = app != null && app.verified;
        }
        List<Update> batch;
        boolean more;
        synchronized (pending) {
            flushScheduled.remove(appId);
            List<Update> list = pending.get(appId);
            if (list == null || list.isEmpty()) {
                pending.remove(appId);
                return;
            }
            if (url == null) {                    // app gone or unsubscribed: nothing to deliver to
                pending.remove(appId);
                return;
            }
            if (!verified) return;                // kept until the handshake succeeds, which flushes again
            int n = Math.min(options.maxUpdatesPerPost(), list.size());
            batch = new ArrayList<>(list.subList(0, n));
            list.subList(0, n).clear();
            more = !list.isEmpty();
            if (!more) pending.remove(appId);
            else flushScheduled.add(appId);
        }
        if (more) schedule(() -> flush(appId), Duration.ZERO);
        byte[] body = MetaJson.writeBytes(payload(batch));
        String signature = "sha256=" + hmacSha256Hex(secret, body);
        post(new Delivery(deliveryIds.incrementAndGet(), url, body, signature, Instant.now()), 1);
    }

    /** Builds Meta's envelope: one entry per WABA, one change per phone number and kind, WABA fields apart. */
    static ObjectNode payload(List<Update> batch) {
        Map<String, Map<String, ObjectNode>> byWaba = new LinkedHashMap<>();
        List<Update> wabaFields = new ArrayList<>();
        for (Update u : batch) {
            if (u.phoneNumberId() == null) {
                wabaFields.add(u);
                continue;
            }
            Map<String, ObjectNode> changes = byWaba.computeIfAbsent(u.wabaId(), k -> new LinkedHashMap<>());
            ObjectNode value = changes.computeIfAbsent(u.phoneNumberId() + "|" + u.kind(), k -> {
                ObjectNode v = MetaJson.object();
                v.put("messaging_product", "whatsapp");
                ObjectNode md = v.putObject("metadata");
                md.put("display_phone_number", u.displayPhoneNumber());
                md.put("phone_number_id", u.phoneNumberId());
                if (u.kind().equals("messages")) v.putArray("contacts");
                v.putArray(u.kind());
                return v;
            });
            if (u.contact() != null) {
                ArrayNode contacts = (ArrayNode) value.get("contacts");
                boolean known = false;
                for (int i = 0; i < contacts.size(); i++) {
                    if (contacts.get(i).equals(u.contact())) known = true;
                }
                if (!known) contacts.add(u.contact());
            }
            ((ArrayNode) value.get(u.kind())).add(u.item());
        }
        ObjectNode root = MetaJson.object();
        root.put("object", "whatsapp_business_account");
        ArrayNode entries = root.putArray("entry");
        for (Map.Entry<String, Map<String, ObjectNode>> e : byWaba.entrySet()) {
            ObjectNode entry = entries.addObject();
            entry.put("id", e.getKey());
            ArrayNode changes = entry.putArray("changes");
            for (ObjectNode value : e.getValue().values()) {
                ObjectNode change = changes.addObject();
                change.set("value", value);
                change.put("field", "messages");
            }
        }
        for (Update u : wabaFields) {
            ObjectNode entry = entries.addObject();
            entry.put("id", u.wabaId());
            entry.put("time", Instant.now().getEpochSecond());
            ObjectNode change = entry.putArray("changes").addObject();
            change.set("value", u.item());
            change.put("field", u.field());
        }
        return root;
    }

    // ---------------------------------------------------------------- delivery and retries

    private record Delivery(long id, String url, byte[] body, String signature, Instant firstAttempt) {}

    private void post(Delivery d, int attempt) {
        if (closed) return;
        Instant at = Instant.now();
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(d.url()))
                    .timeout(options.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", d.signature())
                    .header("User-Agent", "facebookexternalua")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
                    .build();
        } catch (IllegalArgumentException e) {
            record(new DeliveryAttempt(d.id(), "POST", at, d.url(), new String(d.body(), StandardCharsets.US_ASCII),
                    d.signature(), -1, "invalid callback URL: " + e.getMessage(), attempt, false, true));
            return;
        }
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            int status = err == null ? resp.statusCode() : -1;
            boolean ok = status == 200;
            String error = err != null ? describe(err) : null;
            Duration next = ok ? null : nextDelay(d, attempt);
            record(new DeliveryAttempt(d.id(), "POST", at, d.url(), new String(d.body(), StandardCharsets.US_ASCII),
                    d.signature(), status, error, attempt, ok, !ok && next == null));
            if (next != null) schedule(() -> post(d, attempt + 1), next);
        });
    }

    /**
     * Delay before the attempt after {@code failedAttempt}: the first retry is immediate, then 30 s doubling up to
     * 6 h, all times the retry time scale; null when the next try would fall beyond 7 days (the update is dropped).
     */
    Duration nextDelay(Delivery d, int failedAttempt) {
        return nextDelay(failedAttempt, Duration.between(d.firstAttempt(), Instant.now()), options.retryTimeScale());
    }

    static Duration nextDelay(int failedAttempt, Duration elapsed, double scale) {
        Duration real;
        if (failedAttempt == 1) {
            real = Duration.ZERO;
        } else {
            int exp = Math.min(failedAttempt - 2, 20);
            real = FIRST_BACKOFF.multipliedBy(1L << exp);
            if (real.compareTo(MAX_BACKOFF) > 0) real = MAX_BACKOFF;
        }
        Duration scaled = scale(real, scale);
        Duration maxAge = scale(MAX_AGE, scale);
        if (elapsed.plus(scaled).compareTo(maxAge) > 0) return null;
        return scaled;
    }

    private static Duration scale(Duration d, double scale) {
        return Duration.ofNanos((long) (d.toNanos() * scale));
    }

    // ---------------------------------------------------------------- log and helpers

    private void record(DeliveryAttempt a) {
        synchronized (log) {
            log.addLast(a);
            while (log.size() > options.deliveryLogLimit()) log.removeFirst();
        }
    }

    List<DeliveryAttempt> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    void reset() {
        synchronized (pending) {
            pending.clear();
        }
        synchronized (log) {
            log.clear();
        }
    }

    private void schedule(Runnable r, Duration delay) {
        if (closed) return;
        Runnable safe = () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "webhook task failed", e);
            }
        };
        try {
            scheduler.schedule(safe, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private static String describe(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal(body);
            StringBuilder sb = new StringBuilder(64);
            for (byte b : h) sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            return sb.toString();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
