package dev.parley.server.channel;

import dev.parley.server.identity.Role;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CRUD of WhatsApp integrations over HTTP: fields, masked and encrypted secrets, URLs, uniqueness, roles, orgs, audit. */
abstract class ChannelContract extends ChannelTestSupport {

    @Test
    void createAnswersTheIntegrationWithMaskedSecretsAndTheUrlsToPasteIntoMeta() {
        TestOrg org = newOrg();
        String phone = metaId();
        Map<String, Object> body = body(phone);
        Answer a = post(INTEGRATIONS, org.ownerToken(), json(body));
        assertThat(a.status()).isEqualTo(201);
        JsonNode i = a.json();
        String id = i.get("id").asString();
        assertThat(a.header("Location")).endsWith(INTEGRATIONS + "/" + id);
        assertThat(i.get("name").asString()).isEqualTo("Support line");
        assertThat(i.get("app_id").asString()).isEqualTo("100000000000001");
        assertThat(i.get("waba_id").asString()).isEqualTo("100000000000002");
        assertThat(i.get("phone_number_id").asString()).isEqualTo(phone);
        assertThat(i.get("app_secret").asString()).isEqualTo("••••x1y2");
        assertThat(i.get("access_token").asString()).isEqualTo("••••k9z8");
        assertThat(i.get("enabled").asBoolean()).isTrue();
        assertThat(i.get("graph_base_url").asString()).isEqualTo("https://graph.facebook.com");
        assertThat(i.get("graph_api_version").asString()).isEqualTo("v25.0");
        assertThat(i.get("last_test_at").isNull()).isTrue();
        assertThat(i.get("last_test_status").isNull()).isTrue();
        assertThat(i.get("needs_new_credentials").asBoolean()).isFalse();
        // a verify token was generated and is shown once, in full
        String verifyToken = i.get("verify_token").asString();
        assertThat(verifyToken).matches("[A-Za-z0-9_-]{32}");
        // the opaque URL: at least 128 random bits, base64url
        assertThat(i.get("webhook_url").asString()).matches("http://localhost:\\d+/webhooks/whatsapp/[A-Za-z0-9_-]{32}");
        assertThat(i.get("global_webhook_url").asString()).matches("http://localhost:\\d+/webhooks/whatsapp");
        assertThat(a.body()).doesNotContain((String) body.get("app_secret")).doesNotContain((String) body.get("access_token"));

        // afterwards every secret, the verify token included, is masked
        Answer read = get(INTEGRATIONS + "/" + id, org.ownerToken());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("verify_token").asString()).isEqualTo("••••" + verifyToken.substring(28));
        assertThat(read.json().get("webhook_url").asString()).isEqualTo(i.get("webhook_url").asString());
        assertThat(read.body()).doesNotContain(verifyToken).doesNotContain((String) body.get("app_secret"))
                .doesNotContain((String) body.get("access_token"));
        assertThat(get(INTEGRATIONS, org.ownerToken()).json().get("data")).hasSize(1);

        // at rest: ciphertexts only, and the verify token as a fingerprint
        Map<String, Object> row = jdbc.sql("SELECT * FROM whatsapp_integrations WHERE id = ?")
                .param(java.util.UUID.fromString(id)).query().singleRow();
        String stored = row.toString();
        assertThat(stored).doesNotContain((String) body.get("app_secret")).doesNotContain((String) body.get("access_token"))
                .doesNotContain(verifyToken);
        assertThat((String) row.get("app_secret_enc")).startsWith("v1.");
        assertThat((String) row.get("verify_token_fp")).matches("[0-9a-f]{64}");

        // audited, without secrets
        Answer audit = get("/api/v1/audit-events?action=integration.created", org.ownerToken());
        JsonNode event = audit.json().at("/data/0");
        assertThat(event.get("actor").asString()).isEqualTo(org.owner().email());
        assertThat(event.at("/details/integration_id").asString()).isEqualTo(id);
        assertThat(audit.body()).doesNotContain(verifyToken).doesNotContain((String) body.get("app_secret"));
    }

    @Test
    void aGivenVerifyTokenIsKeptAndMustBeUniqueAmongLiveIntegrations() {
        TestOrg org = newOrg();
        TestOrg other = newOrg();
        Map<String, Object> body = body(metaId());
        String token = "my-verify-" + metaId();
        body.put("verify_token", token);
        body.remove("name");
        JsonNode first = create(org.ownerToken(), body);
        assertThat(first.get("verify_token").asString()).isEqualTo(token);
        assertThat(first.get("name").asString()).startsWith("WhatsApp ");

        Map<String, Object> clash = body(metaId());
        clash.put("verify_token", token);
        Answer taken = post(INTEGRATIONS, other.ownerToken(), json(clash));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().at("/error/code").asString()).isEqualTo("verify_token_in_use");
        assertThat(taken.body()).doesNotContain(token);

        assertThat(call("DELETE", INTEGRATIONS + "/" + first.get("id").asString(), org.ownerToken(), null).status())
                .isEqualTo(204);
        assertThat(post(INTEGRATIONS, other.ownerToken(), json(clash)).status()).isEqualTo(201);
    }

    @Test
    void aPhoneNumberIdBelongsToOneLiveIntegration() {
        TestOrg org = newOrg();
        TestOrg other = newOrg();
        String phone = metaId();
        JsonNode first = create(org.ownerToken(), body(phone));
        Answer again = post(INTEGRATIONS, other.ownerToken(), json(body(phone)));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().at("/error/code").asString()).isEqualTo("phone_number_in_use");

        // moving another integration onto the number is refused too
        JsonNode second = create(org.ownerToken(), body(metaId()));
        Answer move = call("PUT", INTEGRATIONS + "/" + second.get("id").asString(), org.ownerToken(),
                json(Map.of("phone_number_id", phone)));
        assertThat(move.status()).isEqualTo(409);

        call("DELETE", INTEGRATIONS + "/" + first.get("id").asString(), org.ownerToken(), null);
        assertThat(get(INTEGRATIONS + "/" + first.get("id").asString(), org.ownerToken()).status()).isEqualTo(404);
        assertThat(post(INTEGRATIONS, other.ownerToken(), json(body(phone))).status()).isEqualTo(201);
        // soft delete: the row is kept for the record, but out of every list
        assertThat(jdbc.sql("SELECT COUNT(*) FROM whatsapp_integrations WHERE phone_number_id = ?").param(phone)
                .query(Integer.class).single()).isEqualTo(2);
        assertThat(get(INTEGRATIONS, org.ownerToken()).json().get("data")).hasSize(1);
    }

    @Test
    void invalidBodiesAreRefusedWithTheFieldsNamed() {
        TestOrg org = newOrg();
        Answer missing = post(INTEGRATIONS, org.ownerToken(), json(Map.of("name", "x")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/code").asString()).isEqualTo("validation_failed");
        assertThat(missing.json().at("/error/message").asString()).contains("waba_id").contains("access_token")
                .contains("phone_number_id");

        Map<String, Object> bad = body(metaId());
        bad.put("graph_base_url", "ftp://example.test");
        bad.put("graph_api_version", "latest");
        bad.put("waba_id", "12a");
        Answer invalid = post(INTEGRATIONS, org.ownerToken(), json(bad));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().at("/error/message").asString()).contains("graph_base_url").contains("graph_api_version")
                .contains("waba_id");

        Map<String, Object> custom = body(metaId());
        custom.put("graph_base_url", "http://127.0.0.1:9090/");
        custom.put("graph_api_version", "21.0");
        custom.put("enabled", false);
        custom.put("access_token", "  EAAG-pasted-with-spaces  ");
        JsonNode i = create(org.ownerToken(), custom);
        assertThat(i.get("graph_base_url").asString()).isEqualTo("http://127.0.0.1:9090");
        assertThat(i.get("graph_api_version").asString()).isEqualTo("v21.0");
        assertThat(i.get("enabled").asBoolean()).isFalse();
        assertThat(i.get("access_token").asString()).isEqualTo("••••aces");
    }

    @Test
    void updatesArePartialAuditedAndShowANewVerifyTokenOnce() {
        TestOrg org = newOrg();
        JsonNode i = create(org.ownerToken(), body(metaId()));
        String path = INTEGRATIONS + "/" + i.get("id").asString();

        Answer renamed = call("PUT", path, org.ownerToken(), json(Map.of("name", "Sales")));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asString()).isEqualTo("Sales");
        assertThat(renamed.json().get("phone_number_id").asString()).isEqualTo(i.get("phone_number_id").asString());
        assertThat(renamed.json().get("app_secret").asString()).isEqualTo(i.get("app_secret").asString());
        assertThat(renamed.json().get("verify_token").asString()).startsWith("••••");

        Answer secrets = call("PUT", path, org.ownerToken(),
                json(Map.of("app_secret", "new-app-secret-abcd", "verify_token", "new-verify-" + metaId())));
        assertThat(secrets.json().get("app_secret").asString()).isEqualTo("••••abcd");
        assertThat(secrets.json().get("verify_token").asString()).startsWith("new-verify-");

        Answer disabled = call("PUT", path, org.ownerToken(), json(Map.of("enabled", false)));
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        call("PUT", path, org.ownerToken(), json(Map.of("enabled", true)));
        Answer noSecret = call("PUT", path, org.ownerToken(), json(Map.of("app_secret", "")));
        assertThat(noSecret.json().get("app_secret").isNull()).isTrue();

        List<String> actions = new ArrayList<>();
        get("/api/v1/audit-events?limit=20", org.ownerToken()).json().get("data").forEach(e -> {
            if (e.get("action").asString().startsWith("integration.")) {
                actions.add(e.get("action").asString() + (e.at("/details/changed").isMissingNode() ? ""
                        : " " + e.at("/details/changed").toString()));
            }
        });
        assertThat(actions).containsExactly(
                "integration.updated [\"app_secret\"]",
                "integration.enabled",
                "integration.disabled",
                "integration.updated [\"app_secret\",\"verify_token\"]",
                "integration.updated [\"name\"]",
                "integration.created");
        assertThat(get("/api/v1/audit-events?limit=20", org.ownerToken()).body()).doesNotContain("new-app-secret");
    }

    @Test
    void agentsReadAdminsAndOwnersWrite() {
        TestOrg org = newOrg();
        String agent = tokenFor(org, Role.AGENT);
        String admin = tokenFor(org, Role.ADMIN);
        Answer refused = post(INTEGRATIONS, agent, json(body(metaId())));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("forbidden");

        JsonNode i = create(admin, body(metaId()));
        String path = INTEGRATIONS + "/" + i.get("id").asString();
        Answer read = get(path, agent);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("access_token").asString()).startsWith("••••");
        assertThat(get(INTEGRATIONS, agent).json().get("data")).hasSize(1);
        assertThat(call("PUT", path, agent, json(Map.of("name", "no"))).status()).isEqualTo(403);
        assertThat(call("DELETE", path, agent, null).status()).isEqualTo(403);
        assertThat(call("DELETE", path, admin, null).status()).isEqualTo(204);
        Answer deleted = get("/api/v1/audit-events?action=integration.deleted", org.ownerToken());
        assertThat(deleted.json().at("/data/0/details/integration_id").asString()).isEqualTo(i.get("id").asString());
    }

    @Test
    void anotherOrganizationsIntegrationIsNotFound() {
        TestOrg mine = newOrg();
        TestOrg theirs = newOrg();
        JsonNode i = create(theirs.ownerToken(), body(metaId()));
        String path = INTEGRATIONS + "/" + i.get("id").asString();
        for (Answer a : List.of(get(path, mine.ownerToken()),
                call("PUT", path, mine.ownerToken(), json(Map.of("name", "mine now"))),
                call("DELETE", path, mine.ownerToken(), null),
                get(path + "/account-events", mine.ownerToken()))) {
            assertThat(a.status()).isEqualTo(404);
            assertThat(a.json().at("/error/code").asString()).isEqualTo("not_found");
        }
        assertThat(get(INTEGRATIONS, mine.ownerToken()).json().get("data")).isEmpty();
        assertThat(get(path, theirs.ownerToken()).json().get("name").asString()).isEqualTo("Support line");
        assertThat(get(INTEGRATIONS + "/not-a-uuid", mine.ownerToken()).status()).isEqualTo(404);
    }
}
