package dev.parley.server.channel;

import dev.parley.cloudapi.graph.PhoneNumber;
import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.SeededBusiness;
import dev.parley.server.web.ApiException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Everything that talks to Meta, against the real emulator: resolving {@code phone_number}, test connection
 * with its hints, 190 flagging the integration, and {@link IntegrationClients}.
 */
abstract class ChannelGraphContract extends ChannelTestSupport {

    static CloudApiEmulator emulator;

    @Autowired
    IntegrationClients clients;

    @BeforeAll
    static void startEmulator() {
        emulator = CloudApiEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    /** A business of its own in the emulator (ids unique across the shared test database). */
    static SeededBusiness business(String display) {
        return seedBusiness(emulator, display, "Acme " + display);
    }

    static String display() {
        return "1555" + metaId().substring(1, 8);
    }

    Map<String, Object> bodyFor(SeededBusiness biz) {
        Map<String, Object> b = body(biz.phoneNumberId());
        b.put("app_id", biz.appId());
        b.put("app_secret", biz.appSecret());
        b.put("waba_id", biz.wabaId());
        b.put("access_token", biz.accessToken());
        b.put("graph_base_url", emulator.baseUrl());
        return b;
    }

    @Test
    void thePhoneNumberItselfIsResolvedThroughTheWabasNumbers() {
        TestOrg org = newOrg();
        String display = display();
        SeededBusiness biz = business(display);
        Map<String, Object> b = bodyFor(biz);
        b.remove("phone_number_id");
        b.remove("name");
        b.put("phone_number", "+" + display.charAt(0) + " " + display.substring(1, 4) + "-" + display.substring(4));
        Answer a = post(INTEGRATIONS, org.ownerToken(), json(b));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("phone_number_id").asString()).isEqualTo(biz.phoneNumberId());
        assertThat(a.json().get("display_phone_number").asString()).isEqualTo(display);
        assertThat(a.json().get("verified_name").asString()).isEqualTo("Acme " + display);
        assertThat(a.json().get("name").asString()).isEqualTo("Acme " + display);
    }

    @Test
    void aNumberNotInTheWabaIsA422ListingTheNumbersFound() {
        TestOrg org = newOrg();
        String display = display();
        SeededBusiness biz = business(display);
        String second = metaId();
        emulator.addPhoneNumber(biz.wabaId(), second, "15559990000", "Second");
        Map<String, Object> b = bodyFor(biz);
        b.remove("phone_number_id");
        b.put("phone_number", "+1 555 000 1234");
        Answer a = post(INTEGRATIONS, org.ownerToken(), json(b));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().at("/error/code").asString()).isEqualTo("phone_number_not_found");
        assertThat(a.json().at("/error/message").asString()).contains(display).contains(biz.phoneNumberId())
                .contains("15559990000").contains(second);

        b.put("access_token", "EAAG-unknown-token");
        Answer badToken = post(INTEGRATIONS, org.ownerToken(), json(b));
        assertThat(badToken.status()).isEqualTo(422);
        assertThat(badToken.json().at("/error/message").asString()).contains("190").contains("System User");
        assertThat(badToken.body()).doesNotContain("EAAG-unknown-token");
    }

    @Test
    void testConnectionAnswersTheNumberAndRecordsIt() {
        TestOrg org = newOrg();
        String display = display();
        SeededBusiness biz = business(display);
        JsonNode i = create(org.ownerToken(), bodyFor(biz));
        String path = INTEGRATIONS + "/" + i.get("id").asString();
        Answer t = post(path + "/test", org.ownerToken(), null);
        assertThat(t.status()).isEqualTo(200);
        assertThat(t.json().get("ok").asBoolean()).isTrue();
        assertThat(t.json().get("display_phone_number").asString()).isEqualTo(display);
        assertThat(t.json().get("verified_name").asString()).isEqualTo("Acme " + display);

        JsonNode read = get(path, org.ownerToken()).json();
        assertThat(read.get("last_test_status").asString()).isEqualTo("ok");
        assertThat(read.get("last_test_at").isNull()).isFalse();
        assertThat(read.get("display_phone_number").asString()).isEqualTo(display);
        JsonNode audit = get("/api/v1/audit-events?action=integration.tested", org.ownerToken()).json().at("/data/0");
        assertThat(audit.at("/details/ok").asBoolean()).isTrue();
        assertThat(post(path + "/test", tokenFor(org, dev.parley.server.identity.Role.AGENT), null).status())
                .isEqualTo(403);
    }

    @Test
    void anExpiredTokenGivesTheHintFlagsTheIntegrationAndNotifiesOwnersUntilANewTokenIsPut() {
        TestOrg org = newOrg();
        SeededBusiness biz = business(display());
        String expired = "EAAG-expired-" + metaId();
        emulator.addAccessToken(expired, biz.appId(), Set.of("whatsapp_business_messaging",
                "whatsapp_business_management"), Instant.now().minusSeconds(3600));
        Map<String, Object> b = bodyFor(biz);
        b.put("access_token", expired);
        JsonNode i = create(org.ownerToken(), b);
        String path = INTEGRATIONS + "/" + i.get("id").asString();

        JsonNode t = post(path + "/test", org.ownerToken(), null).json();
        assertThat(t.get("ok").asBoolean()).isFalse();
        assertThat(t.at("/error/code").asInt()).isEqualTo(190);
        assertThat(t.at("/error/message").asString()).contains("Session has expired");
        assertThat(t.at("/error/hint").asString()).contains("System User");
        post(path + "/test", org.ownerToken(), null);

        JsonNode read = get(path, org.ownerToken()).json();
        assertThat(read.get("last_test_status").asString()).isEqualTo("error");
        assertThat(read.at("/last_test_error/code").asInt()).isEqualTo(190);
        assertThat(read.get("needs_new_credentials").asBoolean()).isTrue();
        JsonNode notes = get("/api/v1/notifications", org.ownerToken()).json().get("data");
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).get("kind").asString()).isEqualTo("integration.needs_new_credentials");
        assertThat(notes.get(0).get("count").asInt()).isEqualTo(2);

        call("PUT", path, org.ownerToken(), json(Map.of("access_token", biz.accessToken())));
        assertThat(get(path, org.ownerToken()).json().get("needs_new_credentials").asBoolean()).isFalse();
        assertThat(post(path + "/test", org.ownerToken(), null).json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void missingPermissionWrongIdAndNetworkErrorsEachGetTheirHint() {
        TestOrg org = newOrg();
        SeededBusiness biz = business(display());
        String limited = "EAAG-limited-" + metaId();
        emulator.addAccessToken(limited, biz.appId(), Set.of(), null);
        Map<String, Object> b = bodyFor(biz);
        b.put("access_token", limited);
        JsonNode i = create(org.ownerToken(), b);
        String path = INTEGRATIONS + "/" + i.get("id").asString();

        JsonNode permission = post(path + "/test", org.ownerToken(), null).json();
        assertThat(permission.at("/error/code").asInt()).isIn(10, 200);
        assertThat(permission.at("/error/hint").asString()).contains("whatsapp_business_messaging");
        assertThat(get(path, org.ownerToken()).json().get("needs_new_credentials").asBoolean()).isFalse();

        call("PUT", path, org.ownerToken(), json(Map.of("access_token", biz.accessToken(), "phone_number_id", metaId())));
        JsonNode wrongId = post(path + "/test", org.ownerToken(), null).json();
        assertThat(wrongId.at("/error/code").asInt()).isEqualTo(100);
        assertThat(wrongId.at("/error/hint").asString()).contains("phone_number_id");

        call("PUT", path, org.ownerToken(), json(Map.of("graph_base_url", "http://127.0.0.1:1")));
        JsonNode network = post(path + "/test", org.ownerToken(), null).json();
        assertThat(network.get("ok").asBoolean()).isFalse();
        assertThat(network.at("/error/code").isNull()).isTrue();
        assertThat(network.at("/error/hint").asString()).contains("could not reach graph_base_url http://127.0.0.1:1");
    }

    @Test
    void integrationClientsCallMetaWithTheIntegrationsSettings() {
        TestOrg org = newOrg();
        String display = display();
        SeededBusiness biz = business(display);
        JsonNode i = create(org.ownerToken(), bodyFor(biz));
        UUID id = UUID.fromString(i.get("id").asString());

        IntegrationRef ref = clients.ref(org.org().id(), id);
        assertThat(ref).isEqualTo(new IntegrationRef(id, org.org().id(), biz.wabaId(), biz.phoneNumberId(), true));
        PhoneNumber pn = clients.forIntegration(org.org().id(), id).getPhoneNumber(ref.phoneNumberId());
        assertThat(pn.displayPhoneNumber()).isEqualTo(display);
        assertThat(clients.forIntegration(org.org().id(), id).listAllTemplates(ref.wabaId()))
                .anySatisfy(t -> assertThat(t.name()).isEqualTo("hello_world"));

        TestOrg other = newOrg();
        assertThatThrownBy(() -> clients.ref(other.org().id(), id)).isInstanceOf(ApiException.class)
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> clients.forIntegration(other.org().id(), id)).isInstanceOf(ApiException.class);
    }
}
