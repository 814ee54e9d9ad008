package dev.parley.server.sending;

import dev.parley.cloudapi.webhook.WebhookParser;
import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.SeededBusiness;
import dev.parley.emulator.SentMessage;
import dev.parley.server.messaging.InboundContext;
import dev.parley.server.messaging.InboundItems;
import dev.parley.server.support.ApiTestBase;
import dev.parley.server.template.TemplateFixtures;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Helpers of the sending contracts: one emulator for all of them, channels of their own, customers writing. */
abstract class SendingTestSupport extends ApiTestBase {

    private static final WebhookParser PARSER = new WebhookParser();

    /** Shared by every sending test class (each test seeds its own business); throughput high for pacing tests. */
    static final CloudApiEmulator EMULATOR = CloudApiEmulator.start(EmulatorOptions.builder()
            .throughputPerSecond(1000).build());

    /** The emulator's seeded template, as a sync stores it. */
    static final String HELLO_WORLD = """
            [{"name":"hello_world","language":"en_US","status":"APPROVED",
              "components":[{"type":"BODY","text":"Hello World"}]}]""";

    @Autowired
    InboundItems inbound;
    @Autowired
    ApplicationContext context;

    record Channel(TestOrg org, SeededBusiness biz, UUID integrationId, CloudApiEmulator emulator) {
        String token() {
            return org.ownerToken();
        }

        String pn() {
            return biz.phoneNumberId();
        }
    }

    static String customer() {
        return "1555" + ThreadLocalRandom.current().nextLong(1_000_000L, 9_999_999L);
    }

    Channel newChannel() {
        return newChannel(EMULATOR);
    }

    Channel newChannel(CloudApiEmulator emulator) {
        return channel(emulator, false);
    }

    /** A business of its own in the emulator and its integration; with {@code subscribe}, Meta's webhooks too. */
    Channel channel(CloudApiEmulator emulator, boolean subscribe) {
        Connected c = connect(emulator, newOrg(), "Sales", subscribe);
        return new Channel(c.org(), c.biz(), c.integrationId(), emulator);
    }

    /** The customer writes to the business: on the emulator (Meta's window) and in Parley (as the webhook would). */
    void customerWrites(Channel ch, String waId) {
        customerWroteAt(ch, waId, Instant.now());
        ch.emulator().inbound(ch.pn(), waId, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
    }

    /** Parley learns of a customer message sent at {@code at} (no emulator involved). */
    void customerWroteAt(Channel ch, String waId, Instant at) {
        String payload = """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111",
                 "phone_number_id":"%s"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"%s"}],
                 "messages":[{"from":"%s","id":"wamid.in-%s","timestamp":"%d","type":"text","text":{"body":"hi"}}]}}]}]}"""
                .formatted(ch.biz().wabaId(), ch.pn(), waId, waId, UUID.randomUUID(), at.getEpochSecond());
        var parsed = PARSER.parse(payload);
        inbound.apply(new InboundContext(ch.org().org().id(), ch.integrationId(), 0L, Instant.now()),
                parsed.messageEvents(), parsed.statusEvents());
    }

    void templates(Channel ch, String templatesJson) {
        TemplateFixtures.replaceAll(context, ch.org().org().id(), ch.integrationId(), templatesJson);
    }

    Answer send(Channel ch, Map<String, Object> body) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("integration_id", ch.integrationId().toString());
        b.putAll(body);
        return post("/api/v1/messages", ch.token(), json(b));
    }

    static Map<String, Object> text(String to, String body) {
        return Map.of("to", to, "type", "text", "text", Map.of("body", body));
    }

    /** Sends and expects 202; answers the message id. */
    String queued(Channel ch, Map<String, Object> body) {
        Answer a = send(ch, body);
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        assertThat(a.json().get("status").asString()).isEqualTo("queued");
        return a.json().get("id").asString();
    }

    JsonNode message(Channel ch, String id) {
        Answer a = get("/api/v1/messages/" + id, ch.token());
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json();
    }

    /** Waits until Meta accepted the message (its wamid is stored) and answers it. */
    JsonNode awaitAccepted(Channel ch, String id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !message(ch, id).path("wamid").isNull());
        return message(ch, id);
    }

    JsonNode awaitFailed(Channel ch, String id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> "failed".equals(message(ch, id).path("status").asString()));
        return message(ch, id);
    }

    List<SentMessage> sent(Channel ch) {
        return ch.emulator().sent(ch.pn());
    }

    /** Prometheus's text from {@code /actuator/prometheus}. */
    String scrape() {
        Answer a = get("/actuator/prometheus", BOOTSTRAP_TOKEN);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.body();
    }

    /** The value of the sample {@code name} whose labels contain every one of {@code labels}; 0 when absent. */
    static double metric(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String l : labels) {
                    all &= line.contains(l);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return 0;
    }

    /** Sends by outcome and code, from the scrape. */
    double outcomes(String outcome, String code) {
        return metric(scrape(), "parley_sending_outcomes_total", "outcome=\"" + outcome + "\"",
                "code=\"" + code + "\"");
    }

    /** Waits until the outcome's counter reached {@code atLeast} (it moves just after the message's record). */
    void awaitOutcomes(String outcome, String code, double atLeast) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(outcomes(outcome, code)).as(outcome + " " + code)
                        .isGreaterThanOrEqualTo(atLeast));
    }

    int queuedRows(Channel ch) {
        return jdbc.sql("SELECT COUNT(*) FROM outbound_queue WHERE integration_id = ?").params(ch.integrationId())
                .query(Integer.class).single();
    }
}
