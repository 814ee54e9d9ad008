package dev.parley.server.media.templatesync;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

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

    Connected integration(boolean subscribe) {
        return connect(emulator, newOrg(), "Templates line", subscribe);
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
