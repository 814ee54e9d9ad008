package dev.parley.emulator;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/** Starts an emulator with a seeded business and a webhook receiver; helpers for Graph calls over real HTTP. */
abstract class EmulatorTestBase {
    static final String CUSTOMER = "15551234567";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    CloudApiEmulator emu;
    SeededBusiness biz;
    WebhookReceiver hook;

    static EmulatorOptions.Builder fastOptions() {
        return EmulatorOptions.builder()
                .statusDelays(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(30))
                .batchWindow(Duration.ofMillis(20))
                .handshakeRetryInterval(Duration.ofMillis(50))
                .webhookTimeout(Duration.ofSeconds(2))
                .retryTimeScale(0.001);
    }

    void start(EmulatorOptions options, boolean withWebhook) throws IOException {
        emu = CloudApiEmulator.start(options);
        Seed.Builder seed = Seed.builder();
        if (withWebhook) {
            hook = new WebhookReceiver("verify-me");
            seed.webhook(hook.url(), "verify-me");
        }
        biz = emu.seed(seed.build());
        if (withWebhook) await().atMost(Duration.ofSeconds(5)).until(() -> emu.webhookVerified(biz.appId()));
    }

    void start() throws IOException {
        start(fastOptions().build(), true);
    }

    @AfterEach
    void stop() {
        if (emu != null) emu.close();
        if (hook != null) hook.close();
    }

    String graph(String path) {
        return emu.baseUrl() + "/v25.0/" + path;
    }

    HttpResponse<String> post(String path, String json) {
        return post(path, json, biz.accessToken());
    }

    HttpResponse<String> post(String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(graph(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b.build());
    }

    HttpResponse<String> get(String path) {
        return get(path, biz.accessToken());
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : graph(path))).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b.build());
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(graph(path))).DELETE()
                .header("Authorization", "Bearer " + biz.accessToken()).build());
    }

    static HttpResponse<String> send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> sendText(String to, String body) {
        return post(biz.phoneNumberId() + "/messages",
                "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"text\",\"text\":{\"body\":\"" + body + "\"}}");
    }

    static JsonNode json(HttpResponse<String> r) {
        return MetaJson.parse(r.body());
    }

    static JsonNode json(String s) {
        return MetaJson.parse(s);
    }

    /** Every status object delivered to the receiver so far, in arrival order. */
    List<JsonNode> deliveredStatuses() {
        return collect("statuses");
    }

    List<JsonNode> deliveredMessages() {
        return collect("messages");
    }

    private List<JsonNode> collect(String kind) {
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiver.Post p : hook.snapshot()) {
            for (JsonNode entry : json(p.text()).path("entry")) {
                for (JsonNode change : entry.path("changes")) {
                    for (JsonNode s : change.path("value").path(kind)) out.add(s);
                }
            }
        }
        return out;
    }

    JsonNode awaitStatus(String wamid, String status) {
        Predicate<JsonNode> p = s -> s.path("id").asString("").equals(wamid) && s.path("status").asString("").equals(status);
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredStatuses().stream().anyMatch(p));
        return deliveredStatuses().stream().filter(p).findFirst().orElseThrow();
    }

    static String wamidOf(HttpResponse<String> r) {
        return json(r).path("messages").get(0).path("id").asString();
    }

    static int errorCode(HttpResponse<String> r) {
        return json(r).path("error").path("code").asInt();
    }
}
