package dev.parley.server.web;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.SentMessage;
import dev.parley.emulator.Seed;
import dev.parley.emulator.SeededBusiness;
import dev.parley.server.support.ApiTestBase;
import dev.parley.server.support.DatabaseOutage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API while the database cannot be reached at all, over real HTTP: the app gets no connection within the pool's
 * timeout ({@link DatabaseOutage}, on the shared test database, so no extra Spring context), as when PostgreSQL goes
 * away. Sending a message and reading conversations answer 503 {@code store_unavailable} with
 * Retry-After (never 500, never 401: the caller's token cannot be checked either), {@code /actuator/health} answers
 * 503 DOWN with or without a token; once the database is back the same calls work by themselves, and a message sent
 * then is queued, stored and sent once, while nothing of the call refused during the outage exists.
 * (Writes refused while the database is reachable: WebhookStoreOutageContract.)
 */
abstract class ApiStoreOutageContract extends ApiTestBase {

    static CloudApiEmulator emulator;

    @Autowired
    DataSource dataSource;

    @BeforeAll
    static void startEmulator() {
        emulator = CloudApiEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    record Shop(TestOrg org, SeededBusiness biz, String integrationId) {
    }

    /** An organization with a WhatsApp number on the emulator, its webhook subscribed (handshake done). */
    Shop newShop() {
        TestOrg org = newOrg();
        SeededBusiness biz = emulator.seed(Seed.builder().appId(metaId()).appSecret("secret-" + metaId())
                .accessToken("EAAG-" + metaId()).wabaId(metaId()).phoneNumberId(metaId())
                .displayPhoneNumber("1555" + metaId().substring(1, 8)).verifiedName("Acme").build());
        String verify = "verify-" + metaId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Outage shop");
        body.put("app_id", biz.appId());
        body.put("app_secret", biz.appSecret());
        body.put("waba_id", biz.wabaId());
        body.put("phone_number_id", biz.phoneNumberId());
        body.put("access_token", biz.accessToken());
        body.put("graph_base_url", emulator.baseUrl());
        body.put("verify_token", verify);
        Answer created = post("/api/v1/channels/whatsapp/integrations", org.ownerToken(), json(body));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String url = created.json().get("webhook_url").asString();
        emulator.subscribe(biz.wabaId(), "http://127.0.0.1:" + port + "/webhooks/whatsapp/"
                + url.substring(url.lastIndexOf('/') + 1), verify);
        await().atMost(Duration.ofSeconds(30)).until(() -> emulator.webhookVerified(biz.appId()));
        return new Shop(org, biz, created.json().get("id").asString());
    }

    Answer sendText(Shop shop, String to, String text) {
        return post("/api/v1/messages", shop.org().ownerToken(), json(Map.of("integration_id", shop.integrationId(),
                "to", to, "type", "text", "text", Map.of("body", text))));
    }

    static void assertStoreUnavailable(Answer a) {
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.header("Retry-After")).isEqualTo("5");
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(a.json().at("/error/code").asString()).isEqualTo("store_unavailable");
        assertThat(a.json().at("/error/message").asString()).isNotBlank();
    }

    /** The ids of every message of the organization's conversations. */
    List<String> messageIds(TestOrg org) {
        List<String> out = new ArrayList<>();
        Answer conversations = get("/api/v1/conversations?limit=200", org.ownerToken());
        assertThat(conversations.status()).as(conversations.body()).isEqualTo(200);
        for (JsonNode conv : conversations.json().get("data")) {
            get("/api/v1/conversations/" + conv.get("id").asString() + "/messages?limit=200", org.ownerToken())
                    .json().get("data").forEach(m -> out.add(m.get("id").asString()));
        }
        return out;
    }

    @Test
    void whileTheDatabaseIsUnreachableApiCallsAnswer503AndAfterwardsAMessageIsQueuedAndStoredOnce() {
        Shop shop = newShop();
        String customer = "1555" + ThreadLocalRandom.current().nextLong(1_000_000L, 9_999_999L);
        // the customer writes first (through Meta's signed webhook): the 24-hour window is open for a text
        emulator.inbound(shop.biz().phoneNumberId(), customer, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> messageIds(shop.org()).size() == 1);
        List<String> before = messageIds(shop.org());

        try (DatabaseOutage outage = DatabaseOutage.begin(dataSource)) {
            assertStoreUnavailable(sendText(shop, customer, "sent during the outage"));
            assertStoreUnavailable(get("/api/v1/conversations", shop.org().ownerToken()));
            assertStoreUnavailable(get("/api/v1/messages/" + before.get(0), shop.org().ownerToken()));
        }

        // back by itself: nothing restarted
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/v1/conversations", shop.org().ownerToken()).status() == 200);
        // writes of every kind work again (a new organization, owner and token: the tables' constraints are intact)
        assertThat(get("/api/v1/conversations", newOrg().ownerToken()).status()).isEqualTo(200);
        Answer sent = sendText(shop, customer, "sent after the outage");
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        String id = sent.json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                !get("/api/v1/messages/" + id, shop.org().ownerToken()).json().path("wamid").isNull());
        Answer stored = get("/api/v1/messages/" + id, shop.org().ownerToken());
        assertThat(stored.json().at("/content/body").asString()).isEqualTo("sent after the outage");

        // nothing of the refused call: the conversation holds the customer's message and the one sent afterwards,
        // and Meta got exactly that one
        assertThat(messageIds(shop.org())).containsExactlyInAnyOrder(before.get(0), id);
        List<String> toMeta = emulator.sent(shop.biz().phoneNumberId()).stream().map(SentMessage::requestBody).toList();
        assertThat(toMeta).hasSize(1);
        assertThat(toMeta.get(0)).contains("sent after the outage");
    }

    @Test
    void healthCalledWithATokenAnswers503DownWhileTheDatabaseIsUnreachableAndShowsDetailsAgainAfterwards() {
        Answer up = get("/actuator/health", BOOTSTRAP_TOKEN);
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.json().at("/components/webhookStore/status").asString()).isEqualTo("UP");

        try (DatabaseOutage outage = DatabaseOutage.begin(dataSource)) {
            // the owner's token cannot be checked: health answers as it does to anyone (DOWN, no details), not 500
            // (webhookStore may still answer UP from a commit of the last 2 s: wait for DOWN, never anything but 503)
            await().atMost(Duration.ofSeconds(60)).until(() -> healthStatus(BOOTSTRAP_TOKEN) != 200);
            Answer withToken = get("/actuator/health", BOOTSTRAP_TOKEN);
            assertThat(withToken.status()).as(withToken.body()).isEqualTo(503);
            assertThat(withToken.json().get("status").asString()).isEqualTo("DOWN");
            Answer anonymous = get("/actuator/health", null);
            assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(503);
            assertThat(anonymous.body()).isEqualTo("{\"status\":\"DOWN\"}");
            // an endpoint that needs the token: 503 store_unavailable, not 401
            assertStoreUnavailable(get("/actuator/prometheus", BOOTSTRAP_TOKEN));
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> healthStatus(BOOTSTRAP_TOKEN) == 200);
        Answer again = get("/actuator/health", BOOTSTRAP_TOKEN);
        assertThat(again.json().at("/components/webhookStore/status").asString()).isEqualTo("UP");
        assertThat(get("/api/v1/conversations", newOrg().ownerToken()).status()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", BOOTSTRAP_TOKEN).status()).isEqualTo(200);
    }

    /** The status of /actuator/health; fails the test on anything but 200 or 503 (a 500 above all). */
    int healthStatus(String token) {
        Answer a = get("/actuator/health", token);
        assertThat(a.status()).as(a.body()).isIn(200, 503);
        return a.status();
    }
}
