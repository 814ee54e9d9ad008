package dev.parley.server.webhook;

import dev.parley.cloudapi.signature.WebhookSignature;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import dev.parley.server.channel.IntegrationSignals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.parley.server.webhook.DeliveryState.*;

/**
 * The ack path of both webhook URLs, free of HTTP so it can be tested directly: the handshake, and for a POST the
 * signature check on the raw bytes, routing, the refusal rules and durable storage before the answer. Nothing here
 * parses the payload beyond the routing keys of the global URL; processing happens later ({@link DeliveryProcessor}).
 */
final class WebhookIngest {

    private static final Logger log = LoggerFactory.getLogger(WebhookIngest.class);
    static final int MAX_CHALLENGE_LENGTH = 512;

    /** What to answer: an HTTP status and a short text/plain body. */
    record Verdict(int status, String text) {
    }

    /** The request as received: raw bytes, the signature header and where it came from. */
    record Request(byte[] body, String signature, String sourceIp, String contentType, String userAgent) {
    }

    private final IntegrationDirectory directory;
    private final IntegrationSignals signals;
    private final DeliveryWriter writer;
    private final RefusalLimiter limiter;
    private final WebhookSettings settings;
    private final MeterRegistry meters;
    private final Timer ackTimer;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** When the last "database unreachable" warning was logged (one a minute at most during an outage). */
    private final java.util.concurrent.atomic.AtomicLong lastOutageLog = new java.util.concurrent.atomic.AtomicLong();
    /** Fault switch for drills and tests: answer 500 after storing the next n deliveries (as a crash would). */
    private final java.util.concurrent.atomic.AtomicInteger failAfterStore = new java.util.concurrent.atomic.AtomicInteger();

    WebhookIngest(IntegrationDirectory directory, IntegrationSignals signals, DeliveryWriter writer,
                  RefusalLimiter limiter, WebhookSettings settings, MeterRegistry meters) {
        this.directory = directory;
        this.signals = signals;
        this.writer = writer;
        this.limiter = limiter;
        this.settings = settings;
        this.meters = meters;
        this.ackTimer = Timer.builder("parley.webhooks.ack").description("time to store a delivery and answer")
                .publishPercentiles(0.5, 0.99, 0.999).register(meters);
    }

    // ---------------------------------------------------------------- handshake

    /** {@code GET /webhooks/whatsapp/{token}}: the integration of the URL, its verify token, enabled. */
    Verdict handshake(String webhookToken, String mode, String verifyToken, String challenge) {
        try {
            Optional<IntegrationRoute> route = webhookToken == null ? Optional.empty()
                    : directory.byWebhookToken(webhookToken);
            return answerHandshake(route.filter(r -> equalsConstantTime(r.verifyToken(), verifyToken)), mode,
                    challenge);
        } catch (DataAccessException e) {
            return storeUnavailable(e);
        }
    }

    /** {@code GET /webhooks/whatsapp}: the integration is found by its verify token. */
    Verdict globalHandshake(String mode, String verifyToken, String challenge) {
        try {
            Optional<IntegrationRoute> route = verifyToken == null || verifyToken.isEmpty() ? Optional.empty()
                    : directory.byVerifyToken(verifyToken);
            return answerHandshake(route, mode, challenge);
        } catch (DataAccessException e) {
            return storeUnavailable(e);
        }
    }

    private static Verdict answerHandshake(Optional<IntegrationRoute> route, String mode, String challenge) {
        if (!"subscribe".equals(mode) || challenge == null || challenge.isEmpty()
                || challenge.length() > MAX_CHALLENGE_LENGTH) {
            return new Verdict(403, "verification failed");
        }
        if (route.isEmpty() || !route.get().enabled()) {
            return new Verdict(403, "verification failed");
        }
        return new Verdict(200, challenge);
    }

    private static boolean equalsConstantTime(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- POST

    /** {@code POST /webhooks/whatsapp/{token}}. */
    Verdict receive(String webhookToken, Request req) {
        long start = System.nanoTime();
        try {
            Optional<IntegrationRoute> found = webhookToken == null ? Optional.empty()
                    : directory.byWebhookToken(webhookToken);
            if (found.isEmpty()) {
                count("unknown_url");
                return new Verdict(404, "unknown webhook URL");
            }
            IntegrationRoute route = found.get();
            String target = "i:" + route.integrationId();
            if (!route.hasAppSecret()) {
                return refuse(route, DeliveryRow.VIA_INTEGRATION, target, req, 403, OUTCOME_NO_APP_SECRET,
                        noSecretReason(route));
            }
            if (!WebhookSignature.verify(req.body(), req.signature(), route.appSecret())) {
                return refuse(route, DeliveryRow.VIA_INTEGRATION, target, req, 403, OUTCOME_BAD_SIGNATURE,
                        badSignatureReason(req));
            }
            return store(row(route, DeliveryRow.VIA_INTEGRATION, req, Boolean.TRUE, 200, PENDING, OUTCOME_QUEUED,
                    null, req.body()));
        } catch (DataAccessException e) {
            return storeUnavailable(e);
        } finally {
            ackTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * {@code POST /webhooks/whatsapp}: every change is routed by its {@code metadata.phone_number_id} (or its
     * entry's WABA); the signature must match the app secret of every integration found. When none is found the
     * delivery is kept as unrouted (answered 200) and verified once an integration with those numbers exists.
     */
    Verdict receiveGlobal(Request req) {
        long start = System.nanoTime();
        try {
            RoutingKeys keys = RoutingKeys.of(req.body());
            if (!keys.wellFormed()) {
                return refuse(null, DeliveryRow.VIA_GLOBAL, "global", req, 400, OUTCOME_MALFORMED,
                        "not a WhatsApp webhook: expected a JSON object with an entry array");
            }
            List<IntegrationRoute> routes = new ArrayList<>();
            for (String phone : keys.phoneNumberIds()) {
                directory.byPhoneNumberId(phone).ifPresent(r -> addDistinct(routes, r));
            }
            for (String waba : keys.wabaIds()) {
                directory.byWabaId(waba).forEach(r -> addDistinct(routes, r));
            }
            if (routes.isEmpty()) {
                // Nobody can check it yet. Keeping it costs storage, so it counts against the refusal limit.
                if (!limiter.tryAcquire(String.valueOf(req.sourceIp()), "global")) {
                    count("rate_limited");
                    return new Verdict(429, "too many unverifiable deliveries");
                }
                return store(row(null, DeliveryRow.VIA_GLOBAL, req, null, 200, PENDING, OUTCOME_QUEUED,
                        "no integration knows " + describe(keys), req.body()));
            }
            Map<String, IntegrationRoute> bySecret = new LinkedHashMap<>();
            for (IntegrationRoute r : routes) {
                if (!r.hasAppSecret()) {
                    return refuse(r, DeliveryRow.VIA_GLOBAL, "global", req, 403, OUTCOME_NO_APP_SECRET,
                            noSecretReason(r));
                }
                bySecret.putIfAbsent(r.appSecret(), r);
            }
            for (Map.Entry<String, IntegrationRoute> e : bySecret.entrySet()) {
                if (!WebhookSignature.verify(req.body(), req.signature(), e.getKey())) {
                    return refuse(e.getValue(), DeliveryRow.VIA_GLOBAL, "global", req, 403, OUTCOME_BAD_SIGNATURE,
                            badSignatureReason(req) + (bySecret.size() > 1
                                    ? " (the delivery names numbers of " + bySecret.size() + " different apps)" : ""));
                }
            }
            return store(row(routes.get(0), DeliveryRow.VIA_GLOBAL, req, Boolean.TRUE, 200, PENDING, OUTCOME_QUEUED,
                    null, req.body()));
        } catch (DataAccessException e) {
            return storeUnavailable(e);
        } finally {
            ackTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** A body beyond {@code maxBodyBytes}: 413, logged (no body kept) unless the source is over its limit. */
    Verdict tooLarge(String webhookToken, Request req, long size) {
        IntegrationRoute route;
        try {
            route = webhookToken == null ? null : directory.byWebhookToken(webhookToken).orElse(null);
        } catch (DataAccessException e) {
            return storeUnavailable(e);
        }
        if (webhookToken != null && route == null) {
            count("unknown_url");
            return new Verdict(404, "unknown webhook URL");
        }
        return refuse(route, route == null ? DeliveryRow.VIA_GLOBAL : DeliveryRow.VIA_INTEGRATION,
                route == null ? "global" : "i:" + route.integrationId(), req, 413, OUTCOME_TOO_LARGE,
                "body of " + (size < 0 ? "more than " + settings.maxBodyBytes() : size)
                        + " bytes is larger than the limit of " + settings.maxBodyBytes() + " bytes");
    }

    private static void addDistinct(List<IntegrationRoute> routes, IntegrationRoute r) {
        for (IntegrationRoute existing : routes) {
            if (existing.integrationId().equals(r.integrationId())) {
                return;
            }
        }
        routes.add(r);
    }

    private static String describe(RoutingKeys keys) {
        List<String> parts = new ArrayList<>();
        if (!keys.phoneNumberIds().isEmpty()) {
            parts.add("phone_number_id " + String.join(", ", keys.phoneNumberIds()));
        }
        if (!keys.wabaIds().isEmpty()) {
            parts.add("WABA " + String.join(", ", keys.wabaIds()));
        }
        return parts.isEmpty() ? "its numbers (it names none)" : String.join("; ", parts);
    }

    private static String noSecretReason(IntegrationRoute r) {
        return "refused: integration '" + r.name() + "' has no app secret, so Meta's signature cannot be checked;"
                + " set app_secret on the integration";
    }

    private static String badSignatureReason(Request req) {
        if (req.signature() == null || req.signature().isBlank()) {
            return "refused: no X-Hub-Signature-256 header";
        }
        return "refused: X-Hub-Signature-256 does not match the integration's app secret";
    }

    private Verdict refuse(IntegrationRoute route, String via, String target, Request req, int status,
                           String outcome, String reason) {
        if (!limiter.tryAcquire(String.valueOf(req.sourceIp()), target)) {
            count("rate_limited");
            return new Verdict(429, "too many refused requests");
        }
        count(outcome);
        try {
            writer.submit(row(route, via, req, Boolean.FALSE, status, REJECTED, outcome, reason, null))
                    .get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("could not log a refused webhook: {}", e.toString());
        }
        if (route != null) {
            try {
                signals.webhookRejected(route.integrationId(), reason);
            } catch (RuntimeException e) {
                log.warn("could not signal a refused webhook for {}: {}", route, e.toString());
            }
        }
        return new Verdict(status, reason.startsWith("refused: ") ? reason.substring(9) : reason);
    }

    /**
     * Makes the next {@code n} stored deliveries answer 500 instead of 200, as if the node died between the commit
     * and the answer: Meta (or the emulator) retries a delivery that is already stored. For fault drills and tests.
     */
    void failAfterStore(int n) {
        failAfterStore.set(n);
    }

    /**
     * How long a delivery waits for its commit while the store is failing (the last commit attempt failed and none
     * has worked since), when shorter than {@code ack-timeout}: during a database outage each batch can wait for
     * a connection as long as the pool's timeout, and deliveries behind it would answer 503 only after Meta gave up
     * waiting; this way they answer 503 quickly. The delivery is still handed to the writer, so the first commit that
     * works ends the failing state.
     */
    static final long FAILING_ACK_MILLIS = 2_000;

    private Verdict store(DeliveryRow row) {
        try {
            long wait = settings.ackTimeout().toMillis();
            if (writer.status().failing()) {
                wait = Math.min(wait, FAILING_ACK_MILLIS);
            }
            writer.submit(row).get(wait, TimeUnit.MILLISECONDS);
            count(row.signatureValid() == null ? "kept_unrouted" : "stored");
            if (failAfterStore.get() > 0 && failAfterStore.getAndDecrement() > 0) {
                return new Verdict(500, "fault injected after the delivery was stored");
            }
            return new Verdict(200, "ok");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            count("store_failed");
            return new Verdict(503, "interrupted; please retry");
        } catch (ExecutionException | TimeoutException e) {
            count("store_failed");
            return new Verdict(503, "the delivery could not be stored; please retry");
        }
    }

    /**
     * The database could not be asked (the integration lookup failed: the database is down or refuses
     * connections): 503, so that Meta retries later, instead of an error page. Logged once a minute at most.
     */
    private Verdict storeUnavailable(DataAccessException e) {
        count("store_failed");
        long now = System.currentTimeMillis();
        long last = lastOutageLog.get();
        if (now - last > 60_000 && lastOutageLog.compareAndSet(last, now)) {
            log.warn("webhooks answer 503: the database cannot be reached ({})", e.getMostSpecificCause().toString());
        }
        return new Verdict(503, "the webhook store is unavailable; please retry");
    }

    private DeliveryRow row(IntegrationRoute route, String via, Request req, Boolean signatureValid, int status,
                            String state, String outcome, String detail, byte[] body) {
        String signature = req.signature();
        if (signature != null && signature.length() > 200) {
            signature = signature.substring(0, 200);
        }
        return new DeliveryRow(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS),
                route == null ? null : route.orgId(), route == null ? null : route.integrationId(), via,
                req.sourceIp(), signatureValid, signature, headers(req), body,
                req.body() == null ? 0 : req.body().length, status, state, outcome, detail);
    }

    private static String headers(Request req) {
        StringBuilder sb = new StringBuilder("{");
        appendJson(sb, "content-type", req.contentType());
        appendJson(sb, "user-agent", req.userAgent());
        if (sb.length() > 1 && sb.charAt(sb.length() - 1) == ',') {
            sb.setLength(sb.length() - 1);
        }
        return sb.append('}').toString();
    }

    private static void appendJson(StringBuilder sb, String name, String value) {
        if (value == null) {
            return;
        }
        String v = value.length() > 500 ? value.substring(0, 500) : value;
        sb.append('"').append(name).append("\":\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append("\",");
    }

    private void count(String outcome) {
        counters.computeIfAbsent(outcome, o -> Counter.builder("parley.webhooks.received")
                .description("webhook POSTs by outcome").tag("outcome", o).register(meters)).increment();
    }
}
