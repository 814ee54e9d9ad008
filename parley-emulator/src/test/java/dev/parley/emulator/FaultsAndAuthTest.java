package dev.parley.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FaultsAndAuthTest extends EmulatorTestBase {
    static final String HELLO = "{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER
            + "\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}";

    private HttpResponse<String> sendHello() {
        return post(biz.phoneNumberId() + "/messages", HELLO);
    }

    @Test
    void failNextAnswersEachErrorKindThenRecovers() throws Exception {
        start(fastOptions().build(), false);
        emu.faults().failNext(1, Faults.Kind.SERVER_ERROR).failNext(1, Faults.Kind.TEMPORARY_ERROR)
                .failNext(1, Faults.Kind.SERVICE_UNAVAILABLE).failNext(1, Faults.Kind.THROUGHPUT);
        var r1 = sendHello();
        assertThat(r1.statusCode()).isEqualTo(500);
        assertThat(errorCode(r1)).isEqualTo(1);
        var r2 = sendHello();
        assertThat(r2.statusCode()).isEqualTo(500);
        assertThat(errorCode(r2)).isEqualTo(2);
        assertThat(json(r2).path("error").path("is_transient").asBoolean()).isTrue();
        var r3 = sendHello();
        assertThat(r3.statusCode()).isEqualTo(503);
        var r4 = sendHello();
        assertThat(r4.statusCode()).isEqualTo(429);
        assertThat(errorCode(r4)).isEqualTo(130429);
        assertThat(sendHello().statusCode()).isEqualTo(200);
        assertThat(emu.sent(biz.phoneNumberId())).hasSize(1);
    }

    @Test
    void droppedConnectionGivesTheClientAnIOExceptionAndNothingIsSent() throws Exception {
        start(fastOptions().build(), false);
        emu.faults().failNext(1, Faults.Kind.DROP_CONNECTION);
        HttpRequest req = HttpRequest.newBuilder(URI.create(graph(biz.phoneNumberId() + "/messages")))
                .header("Authorization", "Bearer " + biz.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(HELLO)).build();
        assertThatThrownBy(() -> HTTP.send(req, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(emu.sent(biz.phoneNumberId())).isEmpty();
        assertThat(HTTP.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void timeoutHoldsLongerThanTheClientWaitsAndHasNoEffect() throws Exception {
        start(fastOptions().build(), false);
        emu.faults().holdFor(Duration.ofMillis(1500)).failNext(1, Faults.Kind.TIMEOUT);
        HttpRequest req = HttpRequest.newBuilder(URI.create(graph(biz.phoneNumberId() + "/messages")))
                .timeout(Duration.ofMillis(300))
                .header("Authorization", "Bearer " + biz.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(HELLO)).build();
        assertThatThrownBy(() -> HTTP.send(req, HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
        assertThat(emu.sent(biz.phoneNumberId())).isEmpty();
    }

    @Test
    void slowRequestIsAnsweredLateAndTakesEffect() throws Exception {
        start(fastOptions().build(), false);
        emu.faults().holdFor(Duration.ofMillis(400)).failNext(1, Faults.Kind.SLOW);
        Instant t0 = Instant.now();
        var r = sendHello();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.between(t0, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(emu.sent(biz.phoneNumberId())).hasSize(1);
    }

    @Test
    void faultsScopedToOneNumberLeaveOthersAloneAndShareIsRepeatable() throws Exception {
        start(fastOptions().build(), false);
        emu.addPhoneNumber(biz.wabaId(), "100000000000009", "15550000009", "Other");
        emu.faults().share(Faults.Kind.SERVER_ERROR, 1.0, "100000000000009");
        assertThat(sendHello().statusCode()).isEqualTo(200);
        assertThat(post("100000000000009/messages", HELLO).statusCode()).isEqualTo(500);
        emu.faults().clear();

        List<Integer> run1 = shareRun(7);
        List<Integer> run2 = shareRun(7);
        assertThat(run1).isEqualTo(run2).contains(200, 500);
    }

    private List<Integer> shareRun(long seed) {
        emu.faults().clear();
        emu.faults().seed(seed).share(Faults.Kind.SERVER_ERROR, 0.5);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) out.add(get(biz.phoneNumberId()).statusCode());
        emu.faults().clear();
        return out;
    }

    @Test
    void expiredAndUnknownTokensAnswer190With401() throws Exception {
        start(fastOptions().build(), false);
        emu.addAccessToken("old-token", biz.appId(), Store.ALL_SCOPES, Instant.now().minusSeconds(60));
        var expired = post(biz.phoneNumberId() + "/messages", HELLO, "old-token");
        assertThat(expired.statusCode()).isEqualTo(401);
        JsonNode e = json(expired).path("error");
        assertThat(e.path("code").asInt()).isEqualTo(190);
        assertThat(e.path("error_subcode").asInt()).isEqualTo(463);
        assertThat(e.path("message").asString()).startsWith("Error validating access token: Session has expired");
        assertThat(errorCode(post(biz.phoneNumberId() + "/messages", HELLO, "never-issued"))).isEqualTo(190);
        assertThat(post(biz.phoneNumberId() + "/messages", HELLO, null).statusCode()).isEqualTo(401);
        // the token as access_token query parameter works too
        assertThat(send(HttpRequest.newBuilder(URI.create(graph(biz.phoneNumberId()) + "?access_token=" + biz.accessToken()))
                .build()).statusCode()).isEqualTo(200);
    }

    @Test
    void missingPermissionsAnswerCode10ForSendsAnd200ForManagement() throws Exception {
        start(fastOptions().build(), false);
        emu.addAccessToken("read-only", biz.appId(), Set.of("whatsapp_business_management"), null);
        var send = post(biz.phoneNumberId() + "/messages", HELLO, "read-only");
        assertThat(send.statusCode()).isEqualTo(403);
        assertThat(errorCode(send)).isEqualTo(10);
        assertThat(get(biz.phoneNumberId(), "read-only").statusCode()).isEqualTo(200);
        emu.addAccessToken("send-only", biz.appId(), Set.of("whatsapp_business_messaging"), null);
        assertThat(errorCode(get(biz.wabaId() + "/message_templates", "send-only"))).isEqualTo(200);
    }

    @Test
    void anotherAppsTokenSeesObjectNotFound() throws Exception {
        start(fastOptions().build(), false);
        SeededBusiness other = emu.seed(Seed.builder().appId("200000000000001").appSecret("s2").accessToken("other-token")
                .wabaId("200000000000002").phoneNumberId("200000000000003").displayPhoneNumber("15550000002").build());
        var r = get(biz.phoneNumberId(), other.accessToken());
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = json(r).path("error");
        assertThat(e.path("code").asInt()).isEqualTo(100);
        assertThat(e.path("error_subcode").asInt()).isEqualTo(33);
        assertThat(e.path("type").asString()).isEqualTo("GraphMethodException");
        assertThat(e.path("message").asString()).contains("Object with ID '" + biz.phoneNumberId() + "' does not exist");
    }

    @Test
    void oauthCodeExchangesOnceAndDebugTokenShowsScopesAndWabas() throws Exception {
        start(fastOptions().build(), false);
        String code = emu.createOAuthCode(biz.appId(), "EAAB-business-token");
        String base = emu.baseUrl() + "/v25.0/oauth/access_token?client_id=" + biz.appId();
        var wrongSecret = get(base + "&client_secret=nope&code=" + code, null);
        assertThat(wrongSecret.statusCode()).isEqualTo(400);
        assertThat(errorCode(wrongSecret)).isEqualTo(1);
        var ok = get(base + "&client_secret=" + biz.appSecret() + "&code=" + code, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).path("access_token").asString()).isEqualTo("EAAB-business-token");
        assertThat(json(ok).path("token_type").asString()).isEqualTo("bearer");
        var again = get(base + "&client_secret=" + biz.appSecret() + "&code=" + code, null);
        assertThat(errorCode(again)).isEqualTo(100);
        assertThat(json(again).path("error").path("error_subcode").asInt()).isEqualTo(36009);
        assertThat(errorCode(get(base + "&client_secret=" + biz.appSecret() + "&code=bogus", null))).isEqualTo(100);

        // the exchanged token works on the Graph API
        assertThat(get(biz.phoneNumberId(), "EAAB-business-token").statusCode()).isEqualTo(200);
        var dbg = get(emu.baseUrl() + "/v25.0/debug_token?input_token=EAAB-business-token&access_token="
                + biz.appId() + "%7C" + biz.appSecret(), null);
        assertThat(dbg.statusCode()).isEqualTo(200);
        JsonNode d = json(dbg).path("data");
        assertThat(d.path("app_id").asString()).isEqualTo(biz.appId());
        assertThat(d.path("is_valid").asBoolean()).isTrue();
        assertThat(d.path("scopes").toString()).contains("whatsapp_business_management", "whatsapp_business_messaging");
        JsonNode mgmt = null;
        for (JsonNode g : d.path("granular_scopes")) {
            if (g.path("scope").asString().equals("whatsapp_business_management")) mgmt = g;
        }
        assertThat(mgmt).isNotNull();
        assertThat(mgmt.path("target_ids").get(0).asString()).isEqualTo(biz.wabaId());
        var unknown = get(emu.baseUrl() + "/v25.0/debug_token?input_token=nope", biz.accessToken());
        assertThat(json(unknown).path("data").path("is_valid").asBoolean()).isFalse();
    }

    @Test
    void phoneNumberEndpointsFollowTheFixtures() throws Exception {
        start(fastOptions().build(), false);
        JsonNode pn = json(get(biz.phoneNumberId()));
        assertThat(new ArrayList<>(pn.propertyNames())).containsExactly("verified_name", "code_verification_status",
                "display_phone_number", "quality_rating", "platform_type", "throughput", "id");
        assertThat(pn.path("display_phone_number").asString()).isEqualTo(biz.displayPhoneNumber());
        JsonNode only = json(get(biz.phoneNumberId() + "?fields=throughput,whatsapp_business_manager_messaging_limit"));
        assertThat(new ArrayList<>(only.propertyNames())).containsExactly("throughput", "whatsapp_business_manager_messaging_limit", "id");
        assertThat(errorCode(get(biz.phoneNumberId() + "?fields=bogus"))).isEqualTo(100);
        JsonNode list = json(get(biz.wabaId() + "/phone_numbers"));
        assertThat(list.path("data").get(0).path("id").asString()).isEqualTo(biz.phoneNumberId());
        assertThat(list.path("paging").path("cursors").has("before")).isTrue();

        assertThat(errorCode(post(biz.phoneNumberId() + "/register", "{\"messaging_product\":\"whatsapp\",\"pin\":\"12\"}"))).isEqualTo(100);
        assertThat(json(post(biz.phoneNumberId() + "/register", "{\"messaging_product\":\"whatsapp\",\"pin\":\"123456\"}"))
                .path("success").asBoolean()).isTrue();

        assertThat(json(post(biz.wabaId() + "/subscribed_apps", "")).path("success").asBoolean()).isTrue();
        JsonNode apps = json(get(biz.wabaId() + "/subscribed_apps"));
        assertThat(apps.path("data").get(0).path("whatsapp_business_api_data").path("id").asString()).isEqualTo(biz.appId());
        assertThat(json(delete(biz.wabaId() + "/subscribed_apps")).path("success").asBoolean()).isTrue();
        assertThat(json(get(biz.wabaId() + "/subscribed_apps")).path("data")).isEmpty();
    }
}
