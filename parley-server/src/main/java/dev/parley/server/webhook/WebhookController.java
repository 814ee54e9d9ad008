package dev.parley.server.webhook;

import dev.parley.cloudapi.signature.WebhookSignature;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;

/**
 * Meta's side: {@code GET|POST /webhooks/whatsapp/{token}} (one integration's opaque URL) and
 * {@code GET|POST /webhooks/whatsapp} (the global URL). Public (Meta's signature is the authentication), answers
 * text/plain. The body is read raw, with a size bound, and handed to {@link WebhookIngest} untouched.
 */
@RestController
class WebhookController {

    /** How much of an oversized body is read and thrown away so that the client sees the 413, not a reset. */
    private static final long MAX_DRAIN = 8L * 1024 * 1024;

    private final WebhookIngest ingest;
    private final WebhookSettings settings;
    /**
     * Bodies being read or waiting for their commit, in KiB. Meta's deliveries are a few KiB, but a client that
     * sends many large bodies at once must not exhaust the heap (with -Xmx256m, a few dozen 3 MB bodies in flight
     * did, and the embedded database does not survive an OutOfMemoryError): beyond the budget, 503, and Meta
     * retries later.
     */
    private final Semaphore bodyBudget;
    private final int bodyBudgetKib;
    private final long budgetWaitMillis;

    WebhookController(WebhookIngest ingest, WebhookSettings settings,
                      @Value("${parley.webhook.max-bytes-in-flight:12MB}") DataSize bytesInFlight,
                      @Value("${parley.webhook.max-bytes-wait:PT2S}") Duration budgetWait) {
        this.ingest = ingest;
        this.settings = settings;
        this.bodyBudgetKib = (int) Math.max(kib(settings.maxBodyBytes()), bytesInFlight.toKilobytes());
        this.bodyBudget = new Semaphore(bodyBudgetKib);
        this.budgetWaitMillis = budgetWait.toMillis();
    }

    private static int kib(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, bytes / 1024 + 1);
    }

    @GetMapping("/webhooks/whatsapp/{token}")
    void handshake(@PathVariable String token, @RequestParam(name = "hub.mode", required = false) String mode,
                   @RequestParam(name = "hub.verify_token", required = false) String verifyToken,
                   @RequestParam(name = "hub.challenge", required = false) String challenge,
                   HttpServletResponse response) throws IOException {
        write(response, ingest.handshake(token, mode, verifyToken, challenge));
    }

    @GetMapping("/webhooks/whatsapp")
    void globalHandshake(@RequestParam(name = "hub.mode", required = false) String mode,
                         @RequestParam(name = "hub.verify_token", required = false) String verifyToken,
                         @RequestParam(name = "hub.challenge", required = false) String challenge,
                         HttpServletResponse response) throws IOException {
        write(response, ingest.globalHandshake(mode, verifyToken, challenge));
    }

    @PostMapping("/webhooks/whatsapp/{token}")
    void receive(@PathVariable String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        receive(token, request, response, false);
    }

    @PostMapping("/webhooks/whatsapp")
    void receiveGlobal(HttpServletRequest request, HttpServletResponse response) throws IOException {
        receive(null, request, response, true);
    }

    private void receive(String token, HttpServletRequest request, HttpServletResponse response, boolean global)
            throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > settings.maxBodyBytes()) {
            receiveRead(token, request, response, global, declared, null);
            return;
        }
        int permits = kib(declared >= 0 ? declared : settings.maxBodyBytes());
        boolean acquired;
        try {
            acquired = bodyBudget.tryAcquire(permits, budgetWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            drain(request.getInputStream());
            write(response, new WebhookIngest.Verdict(503, "too many large deliveries at once; please retry"));
            return;
        }
        try {
            receiveRead(token, request, response, global, declared,
                    readBounded(request.getInputStream(), settings.maxBodyBytes(), declared));
        } finally {
            bodyBudget.release(permits);
        }
    }

    private void receiveRead(String token, HttpServletRequest request, HttpServletResponse response, boolean global,
                             long declared, byte[] body) throws IOException {
        WebhookIngest.Request req = new WebhookIngest.Request(body == null ? new byte[0] : body,
                request.getHeader(WebhookSignature.HEADER), request.getRemoteAddr(), request.getContentType(),
                request.getHeader("User-Agent"));
        if (body == null) {
            drain(request.getInputStream());
            write(response, ingest.tooLarge(token, req, declared > settings.maxBodyBytes() ? declared : -1));
            return;
        }
        write(response, global ? ingest.receiveGlobal(req) : ingest.receive(token, req));
    }

    /** The body, or null when it is longer than {@code max}. */
    static byte[] readBounded(InputStream in, long max) throws IOException {
        return readBounded(in, max, -1);
    }

    /** As {@link #readBounded(InputStream, long)}, sized for the declared length (no doubling copies). */
    static byte[] readBounded(InputStream in, long max, long declared) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 && declared <= max ? (int) declared : 8192);
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void drain(InputStream in) {
        try {
            long total = 0;
            byte[] buf = new byte[8192];
            int n;
            while (total < MAX_DRAIN && (n = in.read(buf)) != -1) {
                total += n;
            }
        } catch (IOException ignored) {
            // the client went away; nothing to answer
        }
    }

    private static void write(HttpServletResponse response, WebhookIngest.Verdict verdict) throws IOException {
        byte[] text = verdict.text().getBytes(StandardCharsets.UTF_8);
        response.setStatus(verdict.status());
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }
}
