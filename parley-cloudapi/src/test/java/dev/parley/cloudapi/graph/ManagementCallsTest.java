package dev.parley.cloudapi.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.Seed;
import dev.parley.emulator.SeededBusiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Registration, app subscription, templates, media and OAuth against the emulator. */
class ManagementCallsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static CloudApiEmulator emu;
    static SeededBusiness biz;
    static GraphClient graph;

    @BeforeAll
    static void start() {
        emu = CloudApiEmulator.start();
        biz = emu.seedAtStartup(Seed.defaults());
        graph = GraphClient.builder().baseUrl(emu.baseUrl()).accessToken(biz.accessToken()).build();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void registersANumberWithItsPin() {
        emu.addPhoneNumber(biz.wabaId(), "100000000000077", "15550000077", "Second line");

        graph.register("100000000000077", "123456");

        assertThat(graph.getPhoneNumber("100000000000077").platformType()).isEqualTo("CLOUD_API");
        GraphApiException badPin = catchApi(() -> graph.register("100000000000077", "12ab"));
        assertThat(badPin.code()).isEqualTo(100);
        assertThat(badPin.errorUserTitle()).isEqualTo("Invalid PIN");
        assertThat(badPin.errorUserMsg()).contains("6 digits");
        GraphApiException otherPin = catchApi(() -> graph.register("100000000000077", "654321"));
        assertThat(otherPin.code()).isEqualTo(131031);
        assertThat(otherPin.classification()).isEqualTo(Classification.PERMANENT);
    }

    @Test
    void subscribesAndUnsubscribesTheApp() {
        emu.seed(Seed.builder().appId("400000000000001").accessToken("tok-partner").wabaId("400000000000002")
                .phoneNumberId("400000000000003").displayPhoneNumber("15550004000").build());
        GraphClient partner = graph.withAccessToken("tok-partner");

        partner.unsubscribeApp("400000000000002");
        List<SubscribedApp> afterUnsubscribe = partner.listSubscribedApps("400000000000002");
        partner.subscribeApp("400000000000002");
        List<SubscribedApp> afterSubscribe = partner.listSubscribedApps("400000000000002");

        assertThat(afterUnsubscribe).isEmpty();
        assertThat(afterSubscribe).extracting(SubscribedApp::id).containsExactly("400000000000001");
        assertThat(afterSubscribe.get(0).name()).isNotBlank();
    }

    @Test
    void createsListsPagesAndDeletesTemplates() {
        emu.seed(Seed.builder().appId("500000000000001").accessToken("tok-tpl").wabaId("500000000000002")
                .phoneNumberId("500000000000003").displayPhoneNumber("15550005000").build());
        GraphClient tpl = graph.withAccessToken("tok-tpl");
        String waba = "500000000000002";
        ObjectNode definition = (ObjectNode) Fixtures.read("template-create-request.json");

        TemplateCreated created = tpl.createTemplate(waba, definition);
        for (int i = 1; i <= 4; i++) {
            tpl.createTemplate(waba, "promo_" + i, "en_US", "MARKETING",
                    JSON.readTree("[{\"type\":\"BODY\",\"text\":\"Sale " + i + " for {{1}}\",\"example\":{\"body_text\":[[\"Ana\"]]}}]"));
        }
        TemplatePage first = tpl.listTemplates(waba, null, 2);
        TemplatePage second = tpl.listTemplates(waba, first.after(), 2);
        List<MessageTemplate> all = tpl.listAllTemplates(waba);

        assertThat(created.id()).isNotBlank();
        assertThat(created.status()).isEqualTo("PENDING");
        assertThat(created.category()).isEqualTo("UTILITY");
        assertThat(first.templates()).hasSize(2);
        assertThat(first.hasNext()).isTrue();
        assertThat(second.templates()).extracting(MessageTemplate::id)
                .doesNotContainAnyElementsOf(first.templates().stream().map(MessageTemplate::id).toList());
        assertThat(all).hasSize(5 + 1 /* hello_world */);
        MessageTemplate confirmation = all.stream().filter(t -> t.name().equals("schedule_confirmation3")).findFirst()
                .orElseThrow();
        assertThat(confirmation.language()).isEqualTo("pt_BR");
        assertThat(confirmation.components()).isNotEmpty();
        assertThat(tpl.getTemplate(created.id()).name()).isEqualTo("schedule_confirmation3");

        GraphApiException duplicate = catchApi(() -> tpl.createTemplate(waba, definition));
        assertThat(duplicate.code()).isEqualTo(100);
        assertThat(duplicate.subcode()).isEqualTo(2388024);

        tpl.deleteTemplate(waba, "promo_1");
        tpl.deleteTemplate(waba, "schedule_confirmation3", created.id());
        assertThat(tpl.listAllTemplates(waba)).extracting(MessageTemplate::name)
                .doesNotContain("promo_1", "schedule_confirmation3").contains("promo_2");
        assertThat(catchApi(() -> tpl.deleteTemplate(waba, "promo_1")).code()).isEqualTo(100);
    }

    @Test
    void uploadsGetsDownloadsAndDeletesMedia() {
        byte[] bytes = "Hello, media \u00e1".getBytes(StandardCharsets.UTF_8);

        String id = graph.uploadMedia(biz.phoneNumberId(), bytes, "text/plain", "hello.txt");
        MediaInfo info = graph.getMedia(id);
        MediaDownload download = graph.downloadMedia(info.url());

        assertThat(info.id()).isEqualTo(id);
        assertThat(info.mimeType()).isEqualTo("text/plain");
        assertThat(info.fileSize()).isEqualTo(bytes.length);
        assertThat(info.sha256()).hasSize(64);
        assertThat(download.bytes()).isEqualTo(bytes);
        assertThat(download.contentType()).startsWith("text/plain");
        assertThat(graph.getMedia(id, biz.phoneNumberId()).id()).isEqualTo(id);
        assertThat(graph.downloadMediaById(id).bytes()).isEqualTo(bytes);

        GraphApiException withoutToken = catchApi(() -> graph.withAccessToken(null).downloadMedia(info.url()));
        assertThat(withoutToken.httpStatus()).isEqualTo(401);
        assertThat(withoutToken.code()).isEqualTo(GraphApiException.NO_ERROR_OBJECT);
        assertThat(withoutToken.classification()).isEqualTo(Classification.REAUTHORIZE);

        graph.deleteMedia(id);
        GraphApiException gone = catchApi(() -> graph.downloadMedia(info.url()));
        assertThat(gone.httpStatus()).isEqualTo(404);
        assertThat(gone.classification()).isEqualTo(Classification.PERMANENT);
        assertThat(catchApi(() -> graph.getMedia(id)).code()).isEqualTo(100);
    }

    @Test
    void refusesAnUnsupportedMediaType() {
        GraphApiException e = catchApi(() -> graph.uploadMedia(biz.phoneNumberId(), new byte[] {1, 2}, "application/x-foo",
                "x.foo"));

        assertThat(e.code()).isEqualTo(131053);
        assertThat(e.classification()).isEqualTo(Classification.PERMANENT);
    }

    @Test
    void exchangesAnEmbeddedSignupCodeAndDebugsTheToken() {
        String code = emu.createOAuthCode(biz.appId(), "EAAB-business-token-1");
        GraphClient app = graph.withAccessToken(null);

        OAuthToken token = app.exchangeCode(biz.appId(), biz.appSecret(), code);
        TokenInfo info = graph.withAccessToken(biz.appId() + "|" + biz.appSecret()).debugToken(token.accessToken());

        assertThat(token.accessToken()).isEqualTo("EAAB-business-token-1");
        assertThat(token.tokenType()).isEqualTo("bearer");
        assertThat(info.valid()).isTrue();
        assertThat(info.appId()).isEqualTo(biz.appId());
        assertThat(info.hasScope("whatsapp_business_messaging")).isTrue();
        assertThat(info.targetIds("whatsapp_business_management")).contains(biz.wabaId());
        assertThat(info.expiresAt()).isNull();

        GraphApiException reused = catchApi(() -> app.exchangeCode(biz.appId(), biz.appSecret(), code));
        assertThat(reused.code()).isEqualTo(100);
        assertThat(reused.subcode()).isEqualTo(36009);
        assertThat(reused.getMessage()).doesNotContain(biz.appSecret());
        GraphApiException badSecret = catchApi(() -> app.exchangeCode(biz.appId(), "wrong", "whatever"));
        assertThat(badSecret.message()).contains("client secret");
        assertThat(graph.debugToken("no-such-token").valid()).isFalse();
    }

    static GraphApiException catchApi(Runnable r) {
        try {
            r.run();
        } catch (GraphApiException e) {
            return e;
        }
        throw new AssertionError("expected a GraphApiException");
    }

}
