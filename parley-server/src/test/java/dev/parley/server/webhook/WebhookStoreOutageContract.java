package dev.parley.server.webhook;

import dev.parley.cloudapi.signature.WebhookSignature;
import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.SeededBusiness;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook store refusing writes, over real HTTP: while the database refuses every write to the deliveries
 * table (a check constraint no row passes, added and dropped on the shared test database, so no extra Spring
 * context), a validly signed POST answers 503 and leaves nothing behind, {@code /actuator/health} answers DOWN with
 * the reason (details for owners), and once writes work again health is UP by itself and Meta's retry of the same
 * delivery is stored once.
 */
abstract class WebhookStoreOutageContract extends ApiTestBase {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static CloudApiEmulator emulator;

    /** SQL that makes the database refuse every new or changed row of {@code webhook_deliveries}. */
    abstract String refuseWritesSql();

    @BeforeAll
    static void startEmulator() {
        emulator = CloudApiEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @AfterEach
    void writesWorkAgain() {
        jdbc.sql("ALTER TABLE webhook_deliveries DROP CONSTRAINT IF EXISTS test_refuse_writes").update();
    }

    @Test
    void whileTheStoreRefusesWritesWebhooksAnswer503HealthIsDownAndMetasRetryIsStoredOnceAfterwards() {
        Connected c = connect(emulator, newOrg(), "Outage shop", false);
        TestOrg org = c.org();
        SeededBusiness biz = c.biz();
        String hookUrl = ownWebhookUrl(c.webhookToken());

        String wamid = "wamid.outage-" + metaId();
        byte[] delivery = WebhookTestKit.payload(WebhookTestKit.entry(biz.wabaId(),
                WebhookTestKit.messagesChange(biz.phoneNumberId(),
                        List.of(WebhookTestKit.text(wamid, "15551234567", "sent during the outage")), List.of())))
                .getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign(delivery, biz.appSecret());
        assertThat(health(null).statusCode()).isEqualTo(200);

        jdbc.sql(refuseWritesSql()).update();

        HttpResponse<String> refused = postWebhook(hookUrl, delivery, signature);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        // nothing half-stored: no row of the delivery, no message
        assertThat(rowsWithSignature(signature)).isZero();
        assertThat(wamids(org)).isEmpty();

        // health: DOWN for everyone (no details), with the reason for an owner
        HttpResponse<String> anonymous = health(null);
        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(anonymous.body()).isEqualTo("{\"status\":\"DOWN\"}");
        HttpResponse<String> owner = health(BOOTSTRAP_TOKEN);
        assertThat(owner.statusCode()).isEqualTo(503);
        JsonNode store = JSON.readTree(owner.body()).at("/components/webhookStore");
        assertThat(store.get("status").asString()).isEqualTo("DOWN");
        assertThat(store.at("/details/reason").asString()).contains("cannot be committed");
        assertThat(store.at("/details/last_error").asString()).isNotBlank();
        // still refused: health stays DOWN (its probe write fails too), however often it is asked
        assertThat(health(null).statusCode()).isEqualTo(503);

        jdbc.sql("ALTER TABLE webhook_deliveries DROP CONSTRAINT test_refuse_writes").update();

        // UP again by itself: nothing has to be restarted or told
        await().atMost(Duration.ofSeconds(60)).until(() -> health(null).statusCode() == 200);
        assertThat(health(null).body()).isEqualTo("{\"status\":\"UP\"}");

        // Meta retries the same delivery: stored once, its message once
        HttpResponse<String> retried = postWebhook(hookUrl, delivery, signature);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> wamids(org), w -> w.contains(wamid));
        assertThat(wamids(org)).containsExactly(wamid);
        assertThat(rowsWithSignature(signature)).isEqualTo(1);
    }

    @Test
    void healthTurnsDownWithoutTrafficWhenTheStoreRefusesAProbeWrite() {
        assertThat(health(null).statusCode()).isEqualTo(200);
        jdbc.sql(refuseWritesSql()).update();
        // no webhook arrives: health's own probe write finds out (once the last commit is no longer fresh)
        await().atMost(Duration.ofSeconds(60)).until(() -> health(null).statusCode() == 503);
        JsonNode store = JSON.readTree(health(BOOTSTRAP_TOKEN).body()).at("/components/webhookStore");
        assertThat(store.get("status").asString()).isEqualTo("DOWN");
        assertThat(store.at("/details/reason").asString()).isNotBlank();
        jdbc.sql("ALTER TABLE webhook_deliveries DROP CONSTRAINT test_refuse_writes").update();
        await().atMost(Duration.ofSeconds(60)).until(() -> health(null).statusCode() == 200);
    }

    int rowsWithSignature(String signature) {
        return jdbc.sql("SELECT COUNT(*) FROM webhook_deliveries WHERE signature_header = ?").param(signature)
                .query(Integer.class).single();
    }

    List<String> wamids(TestOrg org) {
        List<String> out = new ArrayList<>();
        for (JsonNode conv : get("/api/v1/conversations?limit=200", org.ownerToken()).json().get("data")) {
            get("/api/v1/conversations/" + conv.get("id").asString() + "/messages?limit=200", org.ownerToken())
                    .json().get("data").forEach(m -> out.add(m.get("wamid").asString()));
        }
        return out;
    }

    HttpResponse<String> postWebhook(String url, byte[] body, String signature) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").header(WebhookSignature.HEADER, signature).build());
    }

    HttpResponse<String> health(String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        return exchange(HTTP, request, HttpResponse.BodyHandlers.ofString());
    }
}
