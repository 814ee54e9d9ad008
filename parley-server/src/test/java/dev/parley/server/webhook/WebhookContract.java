package dev.parley.server.webhook;

import dev.parley.cloudapi.signature.WebhookSignature;
import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.DeliveryAttempt;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.SeededBusiness;
import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook ingest end to end over real HTTP, with the Cloud API emulator acting as Meta: the handshake on both URLs,
 * signed and batched deliveries with Meta's retries, statuses, refusals, limits, unrouted deliveries and replay,
 * and resuming unprocessed work.
 */
abstract class WebhookContract extends ApiTestBase {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static CloudApiEmulator emulator;

    @Autowired
    WebhookIngest ingest;

    @BeforeAll
    static void startEmulator() {
        emulator = CloudApiEmulator.start(EmulatorOptions.builder().retryTimeScale(0.0001)
                .batchWindow(Duration.ofMillis(150)).handshakeRetryInterval(Duration.ofMillis(100))
                .statusDelays(Duration.ofMillis(20), Duration.ofMillis(250), Duration.ofMillis(500)).build());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    /** A business of its own in the emulator. */
    static SeededBusiness business() {
        return seedBusiness(emulator, "Acme");
    }

    /** An organization with an integration for a fresh business, and the emulator subscribed to its own URL. */
    Connected connect() {
        return connect(emulator, newOrg(), "Shop", true);
    }

    String globalUrl() {
        return "http://127.0.0.1:" + port + "/webhooks/whatsapp";
    }

    HttpResponse<String> raw(String method, String url, byte[] body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (signature != null) {
            b.header(WebhookSignature.HEADER, signature);
        }
        return exchange(HTTP, b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> handshake(String url, String verifyToken, String challenge) {
        return raw("GET", url + "?hub.mode=subscribe&hub.verify_token="
                + URLEncoder.encode(verifyToken, StandardCharsets.UTF_8) + "&hub.challenge=" + challenge, null, null);
    }

    static String textMessage(String body) {
        return "{\"type\":\"text\",\"text\":{\"body\":\"" + body + "\"}}";
    }

    /** Every message of the integration's conversations, as wamids (duplicates would show twice). */
    List<String> wamids(Connected c) {
        List<String> out = new ArrayList<>();
        JsonNode conversations = get("/api/v1/conversations?limit=200&integration_id=" + c.integrationId(),
                c.org().ownerToken()).json().get("data");
        for (JsonNode conv : conversations) {
            JsonNode messages = get("/api/v1/conversations/" + conv.get("id").asString() + "/messages?limit=200",
                    c.org().ownerToken()).json().get("data");
            messages.forEach(m -> out.add(m.get("wamid").asString()));
        }
        return out;
    }

    List<JsonNode> events(TestOrg org, String query) {
        List<JsonNode> out = new ArrayList<>();
        get("/api/v1/webhook-events?limit=200" + query, org.ownerToken()).json().get("data").forEach(out::add);
        return out;
    }

    List<JsonNode> awaitEvents(TestOrg org, String query, Predicate<List<JsonNode>> done) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> events(org, query), done::test);
    }

    static boolean allProcessed(List<JsonNode> events) {
        return !events.isEmpty() && events.stream().noneMatch(e -> e.get("outcome").asString().equals("queued"));
    }

    // ------------------------------------------------------------------ handshake

    @Test
    void theHandshakeAnswersTheChallengeOnBothUrlsAndADisabledIntegrationFailsIt() {
        Connected c = connect();
        assertThat(emulator.deliveryLog()).anyMatch(a -> a.method().equals("GET") && a.url().startsWith(ownWebhookUrl(c.webhookToken()))
                && a.succeeded());
        HttpResponse<String> own = handshake(ownWebhookUrl(c.webhookToken()), c.verifyToken(), "1158201444");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).isEqualTo("1158201444");
        assertThat(own.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        HttpResponse<String> global = handshake(globalUrl(), c.verifyToken(), "987");
        assertThat(global.statusCode()).isEqualTo(200);
        assertThat(global.body()).isEqualTo("987");

        assertThat(handshake(ownWebhookUrl(c.webhookToken()), "wrong-token", "1").statusCode()).isEqualTo(403);
        assertThat(handshake(globalUrl(), "wrong-token-" + metaId(), "1").statusCode()).isEqualTo(403);
        assertThat(handshake(ownWebhookUrl("no-such-url-token"), c.verifyToken(), "1").statusCode()).isEqualTo(403);
        assertThat(raw("GET", ownWebhookUrl(c.webhookToken()) + "?hub.mode=unsubscribe&hub.verify_token=" + c.verifyToken()
                + "&hub.challenge=1", null, null).statusCode()).isEqualTo(403);

        assertThat(call("PUT", INTEGRATIONS + "/" + c.integrationId(), c.org().ownerToken(),
                json(Map.of("enabled", false))).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> handshake(ownWebhookUrl(c.webhookToken()), c.verifyToken(), "5")
                .statusCode() == 403);
        await().atMost(Duration.ofSeconds(20)).until(() -> handshake(globalUrl(), c.verifyToken(), "5")
                .statusCode() == 403);
    }

    // ------------------------------------------------------------------ deliveries

    @Test
    void aCustomersMessageIsStoredOnceThoughMetaRetriesADeliveryThatWasAlreadyStored() {
        Connected c = connect();
        ingest.failAfterStore(1); // stored, then answered 500 as if the node died before answering
        String wamid = emulator.inbound(c.biz().phoneNumberId(), "15551230001", "Ana", textMessage("hello there"));

        List<JsonNode> events = awaitEvents(c.org(), "&integration_id=" + c.integrationId(),
                e -> e.size() >= 2 && allProcessed(e));
        assertThat(events).allMatch(e -> e.get("signature_valid").asBoolean() && e.get("http_status").asInt() == 200);
        List<DeliveryAttempt> posts = emulator.deliveryLog().stream()
                .filter(a -> a.method().equals("POST") && a.url().equals(ownWebhookUrl(c.webhookToken()))).toList();
        assertThat(posts).extracting(DeliveryAttempt::statusCode).containsExactly(500, 200);
        assertThat(wamids(c)).containsExactly(wamid);

        JsonNode message = get("/api/v1/conversations?integration_id=" + c.integrationId(), c.org().ownerToken())
                .json().at("/data/0");
        assertThat(message.at("/contact/wa_id").asString()).isEqualTo("15551230001");
        assertThat(message.at("/contact/name").asString()).isEqualTo("Ana");
        // audited by the processor
        JsonNode audit = get("/api/v1/audit-events?action=webhook.inbound.received", c.org().ownerToken()).json();
        assertThat(audit.get("data")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(audit.get("data").toString()).contains(c.integrationId().toString()).contains("\"messages_stored\":1");
    }

    @Test
    void everyMessageOfBatchedDeliveriesIsProcessed() {
        Connected c = connect();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            sent.add(emulator.inbound(c.biz().phoneNumberId(), "1555123" + (1000 + i % 6), "Customer " + i % 6,
                    textMessage("message " + i)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> wamids(c).size() >= 24);
        assertThat(wamids(c)).containsExactlyInAnyOrderElementsOf(sent);
        List<JsonNode> events = awaitEvents(c.org(), "&integration_id=" + c.integrationId(), WebhookContract::allProcessed);
        assertThat(events.size()).as("the emulator batched the 24 messages into fewer POSTs").isLessThan(24);
        assertThat(events).allMatch(e -> e.get("outcome").asString().equals("processed"));
    }

    @Test
    void statusesOfSentMessagesArrive() throws Exception {
        Connected c = connect();
        HttpResponse<String> send = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v25.0/"
                        + c.biz().phoneNumberId() + "/messages"))
                .header("Authorization", "Bearer " + c.biz().accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messaging_product\":\"whatsapp\",\"to\":\"15551239999\","
                        + "\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(send.statusCode()).as(send.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> emulator.sent(c.biz().phoneNumberId()).stream()
                .anyMatch(m -> m.status().equals("read")));
        // sent, delivered and read: each one applied once
        List<JsonNode> events = await().atMost(Duration.ofSeconds(30)).until(
                () -> events(c.org(), "&integration_id=" + c.integrationId()),
                e -> allProcessed(e) && appliedStatuses(e) >= 3);
        assertThat(appliedStatuses(events)).isEqualTo(3);
    }

    static int appliedStatuses(List<JsonNode> events) {
        int total = 0;
        for (JsonNode e : events) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("statuses \\d+ \\((\\d+) applied")
                    .matcher(e.get("detail").asString(""));
            if (m.find()) {
                total += Integer.parseInt(m.group(1));
            }
        }
        return total;
    }

    static byte[] inboundText(SeededBusiness biz, String wamid) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + biz.wabaId()
                + "\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + biz.displayPhoneNumber() + "\",\"phone_number_id\":\"" + biz.phoneNumberId() + "\"},\"messages\":[{\"from\":"
                + "\"15551235555\",\"id\":\"" + wamid + "\",\"timestamp\":\"1700000000\",\"type\":\"text\","
                + "\"text\":{\"body\":\"hi\"}}]},\"field\":\"messages\"}]}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theGlobalUrlRoutesEachDeliveryToTheIntegrationOfItsNumberCheckedWithThatAppsSecret() {
        Connected a = connect();
        Connected b = connect();
        String wa = "wamid.ga" + metaId();
        String wb = "wamid.gb" + metaId();
        byte[] forA = inboundText(a.biz(), wa);
        byte[] forB = inboundText(b.biz(), wb);
        assertThat(raw("POST", globalUrl(), forA, WebhookSignature.sign(forA, a.biz().appSecret())).statusCode())
                .isEqualTo(200);
        assertThat(raw("POST", globalUrl(), forB, WebhookSignature.sign(forB, b.biz().appSecret())).statusCode())
                .isEqualTo(200);
        // B's number signed with A's secret is refused and logged for B
        assertThat(raw("POST", globalUrl(), forB, WebhookSignature.sign(forB, a.biz().appSecret())).statusCode())
                .isEqualTo(403);
        await().atMost(Duration.ofSeconds(30)).until(() -> wamids(a).contains(wa) && wamids(b).contains(wb));
        assertThat(wamids(a)).containsExactly(wa);
        assertThat(wamids(b)).containsExactly(wb);
        assertThat(events(b.org(), "&signature_valid=false")).singleElement()
                .satisfies(e -> assertThat(e.get("via").asString()).isEqualTo("global"));
        assertThat(events(a.org(), "&signature_valid=false")).isEmpty();
    }

    /**
     * The webhook URLs are served ahead of Spring Security (WebhookFastPath), yet their answers carry the same
     * protective headers as every other answer of the app (a public health check is the reference): accepted,
     * refused and handshake answers alike.
     */
    @Test
    void webhookAnswersCarryTheSecurityHeadersOfEveryOtherAnswer() {
        Connected c = connect();
        HttpResponse<String> reference = raw("GET", "http://127.0.0.1:" + port + "/actuator/health", null, null);
        List<String> names = List.of("X-Content-Type-Options", "X-XSS-Protection", "Cache-Control", "Pragma",
                "Expires", "X-Frame-Options");
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (String name : names) {
            assertThat(reference.headers().allValues(name)).as(name).isNotEmpty();
            expected.put(name, reference.headers().allValues(name));
        }
        assertThat(expected.get("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(expected.get("X-Frame-Options")).containsExactly("DENY");

        byte[] delivery = inboundText(c.biz(), "wamid.hd" + metaId());
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("handshake", handshake(ownWebhookUrl(c.webhookToken()), c.verifyToken(), "42"));
        answers.put("refused handshake", handshake(ownWebhookUrl(c.webhookToken()), "wrong-token", "42"));
        answers.put("global handshake", handshake(globalUrl(), c.verifyToken(), "42"));
        answers.put("delivery", raw("POST", ownWebhookUrl(c.webhookToken()), delivery,
                WebhookSignature.sign(delivery, c.biz().appSecret())));
        answers.put("bad signature", raw("POST", ownWebhookUrl(c.webhookToken()), delivery,
                WebhookSignature.sign(delivery, "not-the-app-secret")));
        answers.put("global delivery", raw("POST", globalUrl(), delivery,
                WebhookSignature.sign(delivery, c.biz().appSecret())));
        assertThat(answers.get("handshake").statusCode()).isEqualTo(200);
        assertThat(answers.get("refused handshake").statusCode()).isEqualTo(403);
        assertThat(answers.get("delivery").statusCode()).isEqualTo(200);
        assertThat(answers.get("bad signature").statusCode()).isEqualTo(403);
        answers.forEach((what, answer) -> expected.forEach((name, values) ->
                assertThat(answer.headers().allValues(name)).as(what + ": " + name).isEqualTo(values)));
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void aBadSignatureIs403LoggedAndNotifiesTheOwnersOnce() {
        Connected c = connect();
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + c.biz().wabaId()
                + "\",\"changes\":[]}]}").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = raw("POST", ownWebhookUrl(c.webhookToken()), body, WebhookSignature.sign(body, "not-the-app-secret"));
            assertThat(r.statusCode()).isEqualTo(403);
        }
        assertThat(raw("POST", ownWebhookUrl(c.webhookToken()), body, null).statusCode()).isEqualTo(403);

        List<JsonNode> refused = events(c.org(), "&signature_valid=false");
        assertThat(refused).hasSize(5).allMatch(e -> e.get("http_status").asInt() == 403
                && e.get("outcome").asString().equals("bad_signature")
                && e.get("integration_id").asString().equals(c.integrationId().toString()));
        assertThat(events(c.org(), "&signature_valid=true")).isEmpty();
        assertThat(events(c.org(), "&outcome=bad_signature")).hasSize(5);
        JsonNode one = get("/api/v1/webhook-events/" + refused.get(0).get("id").asString(), c.org().ownerToken()).json();
        assertThat(one.get("payload").isNull()).isTrue(); // a refused body is not kept

        JsonNode notes = get("/api/v1/notifications", c.org().ownerToken()).json().get("data");
        List<JsonNode> rejected = new ArrayList<>();
        notes.forEach(n -> {
            if (n.get("kind").asString().equals("integration.webhook_rejected")) {
                rejected.add(n);
            }
        });
        assertThat(rejected).singleElement().satisfies(n -> assertThat(n.get("count").asInt()).isEqualTo(5));
    }

    @Test
    void anIntegrationWithoutAppSecretRefusesEveryPostAndSaysWhy() {
        TestOrg org = newOrg();
        SeededBusiness biz = business();
        Map<String, Object> b = integrationBody(emulator, biz, "Shop");
        b.remove("app_secret");
        JsonNode i = createIntegration(org, b);
        byte[] body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = raw("POST", ownWebhookUrl(webhookToken(i)), body,
                WebhookSignature.sign(body, biz.appSecret()));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("no app secret");
        JsonNode event = events(org, "").get(0);
        assertThat(event.get("outcome").asString()).isEqualTo("no_app_secret");
        assertThat(event.get("signature_valid").asBoolean()).isFalse();
        assertThat(event.get("detail").asString()).contains("has no app secret").contains("set app_secret");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        Connected c = connect();
        byte[] big = new byte[3 * 1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = raw("POST", ownWebhookUrl(c.webhookToken()), big, WebhookSignature.sign(big, c.biz().appSecret()));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(events(c.org(), "&outcome=too_large")).singleElement()
                .satisfies(e -> assertThat(e.get("http_status").asInt()).isEqualTo(413));
    }

    // ------------------------------------------------------------------ unrouted, replay, resume

    @Test
    void aDeliveryForAnUnknownNumberIsKeptAndProcessedOnceItsIntegrationExistsThenReplayed() {
        SeededBusiness biz = business();
        String wamid = "wamid.unrouted" + metaId();
        String bodyText = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + biz.wabaId()
                + "\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + biz.displayPhoneNumber() + "\",\"phone_number_id\":\"" + biz.phoneNumberId() + "\"},\"contacts\":[{\"profile\":"
                + "{\"name\":\"Bo\"},\"wa_id\":\"15551237777\"}],\"messages\":[{\"from\":\"15551237777\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"1700000000\",\"type\":\"text\",\"text\":{\"body\":\"anyone there?\"}}]},"
                + "\"field\":\"messages\"}]}]}";
        byte[] body = bodyText.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = raw("POST", globalUrl(), body, WebhookSignature.sign(body, biz.appSecret()));
        assertThat(r.statusCode()).isEqualTo(200);

        TestOrg org = newOrg();
        assertThat(events(org, "")).isEmpty();
        JsonNode i = createIntegration(org, integrationBody(emulator, biz, "Shop"));
        Connected c = new Connected(org, biz, UUID.fromString(i.get("id").asString()), null, null);
        List<JsonNode> events = awaitEvents(org, "", e -> !e.isEmpty() && e.get(0).get("outcome").asString()
                .equals("processed"));
        JsonNode event = events.get(0);
        assertThat(event.get("integration_id").asString()).isEqualTo(c.integrationId().toString());
        assertThat(event.get("signature_valid").asBoolean()).isTrue();
        assertThat(event.get("via").asString()).isEqualTo("global");
        assertThat(wamids(c)).containsExactly(wamid);

        String id = event.get("id").asString();
        JsonNode full = get("/api/v1/webhook-events/" + id, org.ownerToken()).json();
        assertThat(full.get("payload").asString()).isEqualTo(bodyText);
        String agent = tokenFor(org, Role.AGENT);
        assertThat(get("/api/v1/webhook-events/" + id, agent).json().has("payload")).isFalse();
        assertThat(post("/api/v1/webhook-events/" + id + "/replay", agent, null).status()).isEqualTo(403);
        assertThat(post("/api/v1/webhook-events/" + id + "/replay", tokenFor(org, Role.ADMIN), null).status())
                .isEqualTo(403);
        assertThat(post("/api/v1/webhook-events/" + id + "/replay", newOrg().ownerToken(), null).status())
                .isEqualTo(404);
        Answer replay = post("/api/v1/webhook-events/" + id + "/replay", org.ownerToken(), null);
        assertThat(replay.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/webhook-events/" + id, org.ownerToken()).json()
                .get("attempts").asInt() == 1 && get("/api/v1/webhook-events/" + id, org.ownerToken()).json()
                .get("outcome").asString().equals("processed"));
        assertThat(get("/api/v1/webhook-events/" + id, org.ownerToken()).json().get("detail").asString())
                .contains("messages 1 (0 new, 1 duplicate)");
        assertThat(wamids(c)).containsExactly(wamid);
    }

    @Test
    void workLeftUnprocessedByACrashIsResumed() {
        Connected c = connect();
        String wamid = "wamid.resumed" + metaId();
        String bodyText = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + c.biz().wabaId()
                + "\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + c.biz().displayPhoneNumber() + "\",\"phone_number_id\":\"" + c.biz().phoneNumberId() + "\"},"
                + "\"messages\":[{\"from\":\"15551236666\",\"id\":\"" + wamid + "\",\"timestamp\":\"1700000000\","
                + "\"type\":\"text\",\"text\":{\"body\":\"still there?\"}}]},\"field\":\"messages\"}]}]}";
        byte[] body = bodyText.getBytes(StandardCharsets.UTF_8);
        // as a node that committed the delivery and died: one row waiting, one claimed by the dead node
        for (String state : List.of("pending", "processing")) {
            jdbc.sql(DeliveryWriter.INSERT).params(OffsetDateTime.now(ZoneOffset.UTC), c.org().org().id(), c.integrationId(),
                    "integration", "127.0.0.1", true, WebhookSignature.sign(body, c.biz().appSecret()), "{}", body,
                    body.length, 200, state, "queued", null).update();
        }
        jdbc.sql("UPDATE webhook_deliveries SET lease_until = ?, claim_token = ? WHERE state = 'processing'"
                + " AND integration_id = ?").params(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1), UUID.randomUUID(),
                c.integrationId()).update();
        List<JsonNode> events = awaitEvents(c.org(), "&integration_id=" + c.integrationId(),
                e -> e.size() == 2 && e.stream().allMatch(x -> x.get("outcome").asString().equals("processed")));
        assertThat(events).hasSize(2);
        assertThat(wamids(c)).containsExactly(wamid);
    }

    // ------------------------------------------------------------------ metrics

    @Test
    void prometheusCountsWebhooksByOutcomeAndShowsTheAckLatency() {
        Connected c = connect();
        assertThat(get("/actuator/prometheus", null).status()).isEqualTo(401);
        String before = scrape();
        byte[] body = inboundText(c.biz(), "wamid.metrics" + metaId());
        assertThat(raw("POST", ownWebhookUrl(c.webhookToken()), body, WebhookSignature.sign(body, c.biz().appSecret())).statusCode())
                .isEqualTo(200);
        assertThat(raw("POST", ownWebhookUrl(c.webhookToken()), body, WebhookSignature.sign(body, "not-the-app-secret"))
                .statusCode()).isEqualTo(403);

        String after = scrape();
        assertThat(metric(after, "parley_webhooks_received_total", "outcome=\"stored\""))
                .isGreaterThanOrEqualTo(metric(before, "parley_webhooks_received_total", "outcome=\"stored\"") + 1);
        assertThat(metric(after, "parley_webhooks_received_total", "outcome=\"bad_signature\""))
                .isGreaterThanOrEqualTo(metric(before, "parley_webhooks_received_total", "outcome=\"bad_signature\"")
                        + 1);
        assertThat(metric(after, "parley_webhooks_ack_seconds_count", null))
                .isGreaterThanOrEqualTo(metric(before, "parley_webhooks_ack_seconds_count", null) + 2);
        assertThat(metric(after, "parley_webhooks_ack_seconds_sum", null)).isPositive();
        assertThat(after).contains("parley_webhooks_ack_seconds{quantile=\"0.99\"}")
                .contains("parley_webhooks_writer_queue");
    }

    private String scrape() {
        Answer a = get("/actuator/prometheus", BOOTSTRAP_TOKEN);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.body();
    }

    /** The value of a sample (the first whose labels contain {@code label}), 0 when absent. */
    private static double metric(String scrape, String name, String label) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                if (label == null || line.contains(label)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return 0;
    }
}
