package dev.parley.server.channel;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seams other features use: {@link IntegrationDirectory} finds integrations by each key (and forgets them
 * at once when they change), {@link IntegrationSignals} records, flags and notifies (coalesced).
 */
@RecordApplicationEvents
abstract class IntegrationSignalsContract extends ChannelTestSupport {

    @Autowired
    IntegrationDirectory directory;
    @Autowired
    IntegrationSignals signals;
    @Autowired
    ApplicationEvents recorded;

    @Test
    void theDirectoryFindsAnIntegrationByEachKeyWithItsSecrets() {
        TestOrg org = newOrg();
        Map<String, Object> body = body(metaId());
        JsonNode i = create(org.ownerToken(), body);
        UUID id = UUID.fromString(i.get("id").asString());
        String verifyToken = i.get("verify_token").asString();

        IntegrationRoute byId = directory.byId(id).orElseThrow();
        assertThat(byId.orgId()).isEqualTo(org.org().id());
        assertThat(byId.enabled()).isTrue();
        assertThat(byId.appSecret()).isEqualTo(body.get("app_secret"));
        assertThat(byId.verifyToken()).isEqualTo(verifyToken);
        assertThat(byId.phoneNumberId()).isEqualTo(body.get("phone_number_id"));
        assertThat(byId.wabaId()).isEqualTo("100000000000002");
        assertThat(byId.toString()).doesNotContain((String) body.get("app_secret")).doesNotContain(verifyToken);
        assertThat(directory.byWebhookToken(webhookToken(i))).contains(byId);
        assertThat(directory.byVerifyToken(verifyToken)).contains(byId);
        assertThat(directory.byPhoneNumberId((String) body.get("phone_number_id"))).contains(byId);
        assertThat(directory.byWabaId("100000000000002")).contains(byId);
        assertThat(directory.byWabaId("999999999999999")).isEmpty();
        assertThat(directory.byVerifyToken(verifyToken + "x")).isEmpty();
        assertThat(directory.byWebhookToken("nope")).isEmpty();
        assertThat(directory.byId(UUID.randomUUID())).isEmpty();
    }

    @Test
    void changesReachTheDirectoryAtOnceAndDeletedIntegrationsAreNeverFound() {
        TestOrg org = newOrg();
        JsonNode i = create(org.ownerToken(), body(metaId()));
        UUID id = UUID.fromString(i.get("id").asString());
        String path = INTEGRATIONS + "/" + id;
        String oldVerify = i.get("verify_token").asString();
        assertThat(directory.byVerifyToken(oldVerify)).isPresent(); // cached now

        call("PUT", path, org.ownerToken(), json(Map.of("enabled", false, "app_secret", "rotated-secret-0000",
                "verify_token", "fresh-" + id)));
        IntegrationRoute disabled = directory.byId(id).orElseThrow();
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.appSecret()).isEqualTo("rotated-secret-0000");
        assertThat(directory.byVerifyToken(oldVerify)).isEmpty();
        assertThat(directory.byVerifyToken("fresh-" + id)).map(IntegrationRoute::enabled).contains(false);

        call("PUT", path, org.ownerToken(), json(Map.of("app_secret", "")));
        assertThat(directory.byId(id).orElseThrow().hasAppSecret()).isFalse();

        String phone = i.get("phone_number_id").asString();
        assertThat(call("DELETE", path, org.ownerToken(), null).status()).isEqualTo(204);
        assertThat(directory.byId(id)).isEmpty();
        assertThat(directory.byPhoneNumberId(phone)).isEmpty();
        assertThat(directory.byWebhookToken(webhookToken(i))).isEmpty();
        assertThat(directory.byVerifyToken("fresh-" + id)).isEmpty();
        assertThat(directory.byWabaId("100000000000002")).extracting(IntegrationRoute::integrationId)
                .doesNotContain(id);
    }

    @Test
    void webhooksReceivedShowAsLastWebhookAt() {
        TestOrg org = newOrg();
        JsonNode i = create(org.ownerToken(), body(metaId()));
        UUID id = UUID.fromString(i.get("id").asString());
        Instant at = Instant.parse("2026-03-01T10:15:30Z");
        signals.webhookReceived(id, at);
        signals.webhookReceived(id, at.minusSeconds(60)); // older: never moves it back
        JsonNode read = get(INTEGRATIONS + "/" + id, org.ownerToken()).json();
        assertThat(Instant.parse(read.get("last_webhook_at").asString())).isEqualTo(at);
    }

    @Test
    void aFloodOfRejectedWebhooksMakesOneNotificationForTheOwners() {
        TestOrg org = newOrg();
        JsonNode i = create(org.ownerToken(), body(metaId()));
        UUID id = UUID.fromString(i.get("id").asString());
        for (int n = 0; n < 25; n++) {
            signals.webhookRejected(id, "signature does not match the app secret");
        }
        JsonNode notes = get("/api/v1/notifications", org.ownerToken()).json().get("data");
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).get("kind").asString()).isEqualTo("integration.webhook_rejected");
        assertThat(notes.get(0).get("count").asInt()).isEqualTo(25);
        assertThat(notes.get(0).get("title").asString()).contains("Support line");
        JsonNode read = get(INTEGRATIONS + "/" + id, org.ownerToken()).json();
        assertThat(read.get("last_webhook_rejected_reason").asString()).isEqualTo("signature does not match the app secret");
        assertThat(read.get("last_webhook_rejected_at").isNull()).isFalse();
        // unknown or foreign ids are ignored
        signals.webhookRejected(UUID.randomUUID(), "x");
    }

    @Test
    void rejectedCredentialsFlagTheIntegrationUntilNewOnesArePut() {
        TestOrg org = newOrg();
        JsonNode i = create(org.ownerToken(), body(metaId()));
        UUID id = UUID.fromString(i.get("id").asString());
        String path = INTEGRATIONS + "/" + id;
        signals.credentialsRejected(id, 190, "Error validating access token: Session has expired");
        signals.credentialsRejected(id, 190, "Error validating access token: Session has expired");

        JsonNode flagged = get(path, org.ownerToken()).json();
        assertThat(flagged.get("needs_new_credentials").asBoolean()).isTrue();
        assertThat(flagged.get("credentials_problem").asString()).contains("190").contains("Session has expired");
        JsonNode notes = get("/api/v1/notifications", org.ownerToken()).json().get("data");
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).get("kind").asString()).isEqualTo("integration.needs_new_credentials");
        assertThat(notes.get(0).get("body").asString()).contains("System User");
        assertThat(get("/api/v1/audit-events?action=integration.credentials_rejected", org.ownerToken())
                .json().get("data")).hasSize(1);
        assertThat(recorded.stream(IntegrationChanged.class)).containsExactly(
                new IntegrationChanged(org.org().id(), id, IntegrationChanged.Kind.CREDENTIALS_REJECTED));

        call("PUT", path, org.ownerToken(), json(Map.of("name", "renamed")));
        assertThat(get(path, org.ownerToken()).json().get("needs_new_credentials").asBoolean()).isTrue();
        call("PUT", path, org.ownerToken(), json(Map.of("access_token", "EAAG-brand-new-token")));
        JsonNode cleared = get(path, org.ownerToken()).json();
        assertThat(cleared.get("needs_new_credentials").asBoolean()).isFalse();
        assertThat(cleared.get("credentials_problem").isNull()).isTrue();
    }

    @Test
    void accountAndQualityEventsAreRecordedAndFlagTheIntegration() {
        TestOrg org = newOrg();
        JsonNode i = create(org.ownerToken(), body(metaId()));
        UUID id = UUID.fromString(i.get("id").asString());
        String path = INTEGRATIONS + "/" + id;
        signals.accountEvent(id, "phone_number_quality_update", "FLAGGED",
                "{\"display_phone_number\":\"15550000001\",\"event\":\"FLAGGED\",\"current_limit\":\"TIER_10K\"}");
        signals.accountEvent(id, "phone_number_quality_update", "FLAGGED", "{\"event\":\"FLAGGED\"}");

        JsonNode flagged = get(path, org.ownerToken()).json();
        assertThat(flagged.at("/account_alert/field").asString()).isEqualTo("phone_number_quality_update");
        assertThat(flagged.at("/account_alert/event").asString()).isEqualTo("FLAGGED");
        JsonNode notes = get("/api/v1/notifications", org.ownerToken()).json().get("data");
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).get("count").asInt()).isEqualTo(2);

        signals.accountEvent(id, "phone_number_quality_update", "UNFLAGGED", "{\"event\":\"UNFLAGGED\"}");
        assertThat(get(path, org.ownerToken()).json().get("account_alert").isNull()).isTrue();
        signals.accountEvent(id, "account_update", "ACCOUNT_RESTRICTION", "{\"event\":\"ACCOUNT_RESTRICTION\"}");
        assertThat(get(path, org.ownerToken()).json().at("/account_alert/event").asString()).isEqualTo("ACCOUNT_RESTRICTION");

        JsonNode events = get(path + "/account-events", org.ownerToken()).json().get("data");
        assertThat(events).hasSize(4);
        assertThat(events.get(0).get("event").asString()).isEqualTo("ACCOUNT_RESTRICTION");
        assertThat(events.get(3).at("/raw/current_limit").asString()).isEqualTo("TIER_10K");
        assertThat(get("/api/v1/notifications", org.ownerToken()).json().get("data")).hasSize(2);
    }
}
