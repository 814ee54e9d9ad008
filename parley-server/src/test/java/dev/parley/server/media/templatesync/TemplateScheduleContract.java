package dev.parley.server.media.templatesync;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.Seed;
import dev.parley.emulator.SeededBusiness;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduled template sync against the real emulator: a due integration is synced without anyone asking
 * and its next sync moves a period ahead; a template status webhook naming a template Parley never synced
 * brings the full sync forward (to within parley.templates.unknown-sync-delay). The tests' delays are long, so
 * nothing syncs by itself: the tests move next_sync_at to make time pass.
 */
abstract class TemplateScheduleContract extends ApiTestBase {

    static CloudApiEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = CloudApiEmulator.start(EmulatorOptions.builder().retryTimeScale(0.0001)
                .batchWindow(Duration.ofMillis(20)).handshakeRetryInterval(Duration.ofMillis(100)).build());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    static String metaId() {
        return "8" + ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L);
    }

    record Connected(TestOrg org, SeededBusiness biz, UUID integrationId) {
    }

    Connected integration(boolean subscribe) {
        TestOrg org = newOrg();
        SeededBusiness biz = emulator.seed(Seed.builder().appId(metaId()).appSecret("secret-" + metaId())
                .accessToken("EAAG-" + metaId()).wabaId(metaId()).phoneNumberId(metaId())
                .displayPhoneNumber("1555" + metaId().substring(1, 8)).verifiedName("Schedule Inc").build());
        String verifyToken = "vt-" + metaId();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", "Templates line");
        b.put("app_id", biz.appId());
        b.put("app_secret", biz.appSecret());
        b.put("waba_id", biz.wabaId());
        b.put("phone_number_id", biz.phoneNumberId());
        b.put("access_token", biz.accessToken());
        b.put("verify_token", verifyToken);
        b.put("graph_base_url", emulator.baseUrl());
        Answer a = post("/api/v1/channels/whatsapp/integrations", org.ownerToken(), json(b));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        if (subscribe) {
            String url = a.json().get("webhook_url").asString();
            emulator.subscribe(biz.wabaId(), "http://127.0.0.1:" + port + "/webhooks/whatsapp/"
                    + url.substring(url.lastIndexOf('/') + 1), verifyToken);
            await().atMost(Duration.ofSeconds(20)).until(() -> emulator.webhookVerified(biz.appId()));
        }
        return new Connected(org, biz, UUID.fromString(a.json().get("id").asString()));
    }

    JsonNode templates(Connected c) {
        Answer a = get("/api/v1/channels/whatsapp/integrations/" + c.integrationId() + "/templates",
                c.org().ownerToken());
        assertThat(a.status()).isEqualTo(200);
        return a.json().get("data");
    }

    static JsonNode named(JsonNode list, String name) {
        for (JsonNode t : list) {
            if (t.get("name").asString().equals(name)) {
                return t;
            }
        }
        return null;
    }

    OffsetDateTime nextSync(UUID integration) {
        return jdbc.sql("SELECT next_sync_at FROM template_sync_schedule WHERE integration_id = ?")
                .params(integration).query(OffsetDateTime.class).optional().orElse(null);
    }

    @Test
    void aDueIntegrationIsSyncedWithoutBeingAskedAndItsNextSyncMovesAPeriodAhead() {
        Connected c = integration(false);
        emulator.addTemplate(c.biz().wabaId(), "order_update", "en_US", "UTILITY",
                "[{\"type\":\"BODY\",\"text\":\"Order {{1}} is {{2}}\"}]", "APPROVED");
        // the schedule picks the new integration up (its first sync an hour later in the tests)
        await().atMost(Duration.ofSeconds(20)).until(() -> nextSync(c.integrationId()) != null);
        assertThat(templates(c)).isEmpty();

        // time passes: the sync is due
        jdbc.sql("UPDATE template_sync_schedule SET next_sync_at = ? WHERE integration_id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1), c.integrationId()).update();
        JsonNode list = await().atMost(Duration.ofSeconds(20)).until(() -> templates(c),
                l -> named(l, "order_update") != null);
        assertThat(named(list, "hello_world")).isNotNull();
        assertThat(named(list, "order_update").get("placeholders")).hasSize(2);
        assertThat(nextSync(c.integrationId())).isAfter(OffsetDateTime.now(ZoneOffset.UTC).plusHours(5));
        String status = jdbc.sql("SELECT last_status FROM template_sync_schedule WHERE integration_id = ?")
                .params(c.integrationId()).query(String.class).single();
        assertThat(status).isEqualTo("ok");
    }

    @Test
    void aStatusWebhookForATemplateNeverSyncedBringsTheNextSyncForward() {
        Connected c = integration(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> nextSync(c.integrationId()) != null);
        // first sync of a new integration: an hour later in the tests
        assertThat(nextSync(c.integrationId())).isAfter(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(50));
        String id = emulator.addTemplate(c.biz().wabaId(), "shipping_notice", "en_US", "UTILITY",
                "[{\"type\":\"BODY\",\"text\":\"Parcel {{1}} ships today\"}]", "PENDING");
        emulator.approveTemplate(id); // Meta's message_template_status_update reaches Parley

        // the webhook's row exists at once, without components; the sync is due within the delay (20 min here)
        JsonNode fromWebhook = await().atMost(Duration.ofSeconds(20)).until(() -> named(templates(c),
                "shipping_notice"), t -> t != null);
        assertThat(fromWebhook.get("status").asString()).isEqualTo("APPROVED");
        await().atMost(Duration.ofSeconds(20)).until(() -> nextSync(c.integrationId())
                .isBefore(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(25)));

        // the delay passes: a full sync brings the components and the other templates
        jdbc.sql("UPDATE template_sync_schedule SET next_sync_at = ? WHERE integration_id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1), c.integrationId()).update();
        JsonNode list = await().atMost(Duration.ofSeconds(20)).until(() -> templates(c),
                l -> named(l, "shipping_notice") != null && !named(l, "shipping_notice").get("components").isNull());
        JsonNode t = named(list, "shipping_notice");
        assertThat(t.get("status").asString()).isEqualTo("APPROVED");
        assertThat(t.get("placeholders")).hasSize(1);
        assertThat(t.get("synced_at").isNull()).isFalse();
        assertThat(named(list, "hello_world")).isNotNull();
    }
}
