package dev.parley.cloudapi.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.sun.net.httpserver.HttpServer;
import dev.parley.cloudapi.outbound.OutboundMessage;
import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.Faults;
import dev.parley.emulator.SeededBusiness;
import dev.parley.emulator.SentMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Meta's error objects and transport failures become classified exceptions. */
class GraphErrorsTest {

    static final String CUSTOMER = "15551234567";
    static CloudApiEmulator emu;
    static SeededBusiness biz;
    static GraphClient graph;

    @BeforeAll
    static void start() {
        emu = CloudApiEmulator.start(EmulatorOptions.builder().pairRateLimit(1).pairRateWindow(Duration.ofMinutes(5))
                .build());
        biz = emu.seedAtStartup(dev.parley.emulator.Seed.defaults());
        graph = GraphClient.builder().baseUrl(emu.baseUrl()).accessToken(biz.accessToken()).build();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @AfterEach
    void clearFaults() {
        emu.faults().clear();
    }

    private static GraphApiException apiError(Runnable call) {
        try {
            call.run();
        } catch (GraphApiException e) {
            return e;
        }
        throw new AssertionError("expected a GraphApiException");
    }

    private static OutboundMessage hello(String to) {
        return OutboundMessage.text(to, "hello").build();
    }

    @Test
    void anExpiredTokenNeedsReauthorization() {
        emu.addAccessToken("expired-token", biz.appId(), null, Instant.now().minusSeconds(60));

        GraphApiException e = apiError(() -> graph.withAccessToken("expired-token").getPhoneNumber(biz.phoneNumberId()));

        assertThat(e.code()).isEqualTo(190);
        assertThat(e.subcode()).isEqualTo(463);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.type()).isEqualTo("OAuthException");
        assertThat(e.message()).contains("Session has expired");
        assertThat(e.classification()).isEqualTo(Classification.REAUTHORIZE);
        assertThat(e.needsReauthorization()).isTrue();
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void anUnknownTokenNeedsReauthorization() {
        GraphApiException e = apiError(() -> graph.withAccessToken("not-a-token").getPhoneNumber(biz.phoneNumberId()));

        assertThat(e.code()).isEqualTo(190);
        assertThat(e.classification()).isEqualTo(Classification.REAUTHORIZE);
    }

    @Test
    void aMissingPermissionIsPermanent() {
        emu.addAccessToken("mgmt-only", biz.appId(), Set.of("whatsapp_business_management"), null);
        emu.addAccessToken("msg-only", biz.appId(), Set.of("whatsapp_business_messaging"), null);

        GraphApiException send = apiError(() -> graph.withAccessToken("mgmt-only").send(biz.phoneNumberId(),
                hello(CUSTOMER)));
        GraphApiException read = apiError(() -> graph.withAccessToken("msg-only").getPhoneNumber(biz.phoneNumberId()));

        assertThat(send.code()).isEqualTo(10);
        assertThat(send.httpStatus()).isEqualTo(403);
        assertThat(send.classification()).isEqualTo(Classification.PERMANENT);
        assertThat(read.code()).isEqualTo(200);
        assertThat(read.classification()).isEqualTo(Classification.PERMANENT);
    }

    @Test
    void outsideTheWindowAFreeFormMessageFailsWith131047ThatIsPermanent() {
        emu.inbound(biz.phoneNumberId(), "15550009047", "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        emu.closeWindow(biz.phoneNumberId(), "15550009047");

        SendResult accepted = graph.send(biz.phoneNumberId(), hello("15550009047"));

        // Meta accepts the request and reports 131047 in the failed status webhook
        await().atMost(Duration.ofSeconds(10)).until(() -> emu.sent(biz.phoneNumberId()).stream()
                .filter(m -> m.wamid().equals(accepted.messageId())).anyMatch(m -> "failed".equals(m.status())));
        SentMessage failed = emu.sent(biz.phoneNumberId()).stream()
                .filter(m -> m.wamid().equals(accepted.messageId())).findFirst().orElseThrow();
        assertThat(failed.errorCode()).isEqualTo(131047);
        assertThat(GraphApiException.classify(failed.errorCode())).isEqualTo(Classification.PERMANENT);
    }

    @Test
    void anUnknownTemplateIs132001AndPermanent() {
        GraphApiException e = apiError(() -> graph.send(biz.phoneNumberId(),
                OutboundMessage.template(CUSTOMER, "no_such_template", "en_US").build()));

        assertThat(e.code()).isEqualTo(132001);
        assertThat(e.details()).isNotBlank();
        assertThat(e.classification()).isEqualTo(Classification.PERMANENT);
    }

    @Test
    void throughputIsRetryableAfterAboutASecond() {
        emu.faults().failNext(1, Faults.Kind.THROUGHPUT);

        GraphApiException e = apiError(() -> graph.send(biz.phoneNumberId(), hello(CUSTOMER)));

        assertThat(e.code()).isEqualTo(130429);
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.classification()).isEqualTo(Classification.RETRYABLE);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(e.recipientScoped()).isFalse();
    }

    @Test
    void thePairRateLimitIsRetryableForThatRecipientOnly() {
        graph.send(biz.phoneNumberId(), hello("15550005601"));

        GraphApiException e = apiError(() -> graph.send(biz.phoneNumberId(), hello("15550005601")));
        SendResult other = graph.send(biz.phoneNumberId(), hello("15550005602"));

        assertThat(e.code()).isEqualTo(131056);
        assertThat(e.classification()).isEqualTo(Classification.RETRYABLE);
        assertThat(e.recipientScoped()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(6));
        assertThat(other.messageId()).startsWith("wamid.");
    }

    @Test
    void serverErrorsAreRetryable() {
        emu.faults().failNext(1, Faults.Kind.SERVER_ERROR);
        emu.faults().failNext(1, Faults.Kind.SERVICE_UNAVAILABLE);

        GraphApiException first = apiError(() -> graph.send(biz.phoneNumberId(), hello(CUSTOMER)));
        GraphApiException second = apiError(() -> graph.getPhoneNumber(biz.phoneNumberId()));

        assertThat(first.httpStatus()).isEqualTo(500);
        assertThat(first.code()).isEqualTo(1);
        assertThat(first.classification()).isEqualTo(Classification.RETRYABLE);
        assertThat(first.retryAfter()).isPresent();
        assertThat(second.httpStatus()).isEqualTo(503);
        assertThat(second.code()).isEqualTo(2);
        assertThat(second.isTransient()).isTrue();
        assertThat(second.isRetryable()).isTrue();
    }

    @Test
    void aTimeoutIsARetryableTransportError() {
        emu.faults().holdFor(Duration.ofSeconds(5)).failNext(1, Faults.Kind.TIMEOUT);
        GraphClient impatient = graph.withTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> impatient.send(biz.phoneNumberId(), hello(CUSTOMER)))
                .isInstanceOfSatisfying(GraphTransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(GraphTransportException.Kind.TIMEOUT);
                    assertThat(e.timedOut()).isTrue();
                    assertThat(e.classification()).isEqualTo(Classification.RETRYABLE);
                    assertThat(e.retryAfter()).isPresent();
                    assertThat(e.method()).isEqualTo("POST");
                    assertThat(e.url()).endsWith("/v25.0/" + biz.phoneNumberId() + "/messages");
                });
    }

    @Test
    void aDroppedConnectionIsARetryableTransportError() {
        emu.faults().failNext(1, Faults.Kind.DROP_CONNECTION);

        assertThatThrownBy(() -> graph.send(biz.phoneNumberId(), hello(CUSTOMER)))
                .isInstanceOfSatisfying(GraphTransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(GraphTransportException.Kind.CONNECTION);
                    assertThat(e.classification()).isEqualTo(Classification.RETRYABLE);
                });
    }

    @Test
    void aRefusedConnectionIsARetryableTransportError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GraphClient nowhere = graph.withBaseUrl("http://127.0.0.1:" + port);

        assertThatThrownBy(() -> nowhere.getPhoneNumber(biz.phoneNumberId()))
                .isInstanceOfSatisfying(GraphTransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(GraphTransportException.Kind.CONNECTION);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage()).contains("127.0.0.1:" + port);
                });
    }

    @Test
    void aMetaValidationErrorCarriesItsDetails() {
        var body = JsonMapper.builder().build().readTree("""
                {"messaging_product":"whatsapp","to":"15551234567","type":"interactive","interactive":{"type":"button",
                 "body":{"text":"pick"},"action":{"buttons":[
                  {"type":"reply","reply":{"id":"a","title":"A"}},{"type":"reply","reply":{"id":"b","title":"B"}},
                  {"type":"reply","reply":{"id":"c","title":"C"}},{"type":"reply","reply":{"id":"d","title":"D"}}]}}}
                """);

        GraphApiException e = apiError(() -> graph.sendJson(biz.phoneNumberId(), body));

        assertThat(e.code()).isEqualTo(131009);
        assertThat(e.details()).contains("buttons");
        assertThat(e.error().get("error_data").get("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(e.classification()).isEqualTo(Classification.PERMANENT);
    }

    @Test
    void sendingToTheSenderIs131021AndPermanent() {
        GraphApiException e = apiError(() -> graph.send(biz.phoneNumberId(), hello(biz.displayPhoneNumber())));

        assertThat(e.code()).isEqualTo(131021);
        assertThat(e.classification()).isEqualTo(Classification.PERMANENT);
    }

    @Test
    void aNonJsonErrorBodyStillBecomesAClearException() throws IOException {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", ex -> {
            byte[] html = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(502, html.length);
            ex.getResponseBody().write(html);
            ex.close();
        });
        proxy.start();
        try {
            GraphClient behindProxy = graph.withBaseUrl("http://127.0.0.1:" + proxy.getAddress().getPort());

            GraphApiException e = apiError(() -> behindProxy.getPhoneNumber(biz.phoneNumberId()));

            assertThat(e.code()).isEqualTo(GraphApiException.NO_ERROR_OBJECT);
            assertThat(e.httpStatus()).isEqualTo(502);
            assertThat(e.rawBody()).contains("502 Bad Gateway");
            assertThat(e.getMessage()).contains("HTTP 502").contains("without a Meta error object").contains("Bad Gateway");
            assertThat(e.classification()).isEqualTo(Classification.RETRYABLE);
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void codesAreClassifiedAsMetasTableSays() {
        for (int code : new int[] {1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056, 133004}) {
            assertThat(GraphApiException.classify(code)).as("code %d", code).isEqualTo(Classification.RETRYABLE);
            assertThat(GraphApiException.suggestedRetryAfter(code)).as("code %d", code).isPresent();
        }
        for (int code : new int[] {3, 10, 100, 200, 299, 368, 131008, 131009, 131021, 131026, 131047, 131051, 131052,
                131053, 132000, 132001, 132005, 132007, 132012, 132015, 132016}) {
            assertThat(GraphApiException.classify(code)).as("code %d", code).isEqualTo(Classification.PERMANENT);
            assertThat(GraphApiException.suggestedRetryAfter(code)).as("code %d", code).isEmpty();
        }
        for (int code : new int[] {0, 102, 190}) {
            assertThat(GraphApiException.classify(code)).as("code %d", code).isEqualTo(Classification.REAUTHORIZE);
        }
        assertThat(GraphApiException.classify(400, 100, 467, null)).isEqualTo(Classification.REAUTHORIZE);
        assertThat(GraphApiException.classify(400, 999999, null, true)).isEqualTo(Classification.RETRYABLE);
        assertThat(GraphApiException.classify(503, 999999, null, null)).isEqualTo(Classification.RETRYABLE);
        assertThat(GraphApiException.classify(400, 999999, null, null)).isEqualTo(Classification.PERMANENT);
        assertThat(GraphApiException.classify(401, GraphApiException.NO_ERROR_OBJECT, null, null))
                .isEqualTo(Classification.REAUTHORIZE);
        assertThat(GraphApiException.suggestedRetryAfter(80007)).contains(Duration.ofMinutes(5));
    }
}
