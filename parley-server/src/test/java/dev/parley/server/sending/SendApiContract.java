package dev.parley.server.sending;

import dev.parley.emulator.SentMessage;
import dev.parley.server.identity.Role;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/messages}: every refusal happens before anything is queued (422 naming the rule, 404 for
 * another organization's integration); an accepted request is 202 queued and then sent to Meta.
 */
abstract class SendApiContract extends SendingTestSupport {

    static final String ORDER_TEMPLATES = """
            [{"name":"order_update","language":"en_US","status":"APPROVED","components":[
               {"type":"HEADER","format":"IMAGE"},
               {"type":"BODY","text":"Hi {{1}}, order {{2}} is on its way."},
               {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Stop"},
                                             {"type":"URL","text":"Track","url":"https://example.com/t/{{1}}"}]}]},
             {"name":"promo","language":"en_US","status":"REJECTED","components":[{"type":"BODY","text":"Sale!"}]}]""";

    static Map<String, Object> orderTemplate(String to, List<Object> components) {
        return Map.of("to", to, "type", "template", "template", Map.of("name", "order_update",
                "language", Map.of("code", "en_US"), "components", components));
    }

    static final Map<String, Object> IMAGE_HEADER = Map.of("type", "header", "parameters",
            List.of(Map.of("type", "image", "image", Map.of("link", "https://example.com/box.png"))));
    static final Map<String, Object> TWO_BODY = Map.of("type", "body", "parameters",
            List.of(Map.of("type", "text", "text", "Ana"), Map.of("type", "text", "text", "1234")));
    static final Map<String, Object> URL_BUTTON = Map.of("type", "button", "sub_type", "url", "index", "1",
            "parameters", List.of(Map.of("type", "text", "text", "1234")));

    int queueSize(Channel ch) {
        return queuedRows(ch);
    }

    @Test
    void aTextInsideTheWindowIsQueuedThenSentToMeta() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        String id = queued(ch, Map.of("to", "+" + to, "type", "text",
                "text", Map.of("body", "Your order shipped", "preview_url", false)));
        JsonNode m = awaitAccepted(ch, id);
        assertThat(m.get("direction").asString()).isEqualTo("outbound");
        assertThat(m.get("type").asString()).isEqualTo("text");
        List<SentMessage> sent = sent(ch);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).wamid()).isEqualTo(m.get("wamid").asString());
        JsonNode request = JSON.readTree(sent.get(0).requestBody());
        assertThat(request.at("/text/body").asString()).isEqualTo("Your order shipped");
        assertThat(request.get("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(queueSize(ch)).isZero();
    }

    @Test
    void aReplyCarriesItsContextAndAnAgentMaySend() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        String agent = tokenFor(ch.org(), Role.AGENT);
        Answer a = post("/api/v1/messages", agent, json(Map.of("integration_id", ch.integrationId().toString(),
                "to", to, "type", "text", "text", Map.of("body", "Sure!"),
                "context", Map.of("message_id", "wamid.quoted-1"))));
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        awaitAccepted(ch, a.json().get("id").asString());
        assertThat(JSON.readTree(sent(ch).get(0).requestBody()).at("/context/message_id").asString())
                .isEqualTo("wamid.quoted-1");
    }

    @Test
    void whatMetaWouldRefuseIsA422NamingTheRuleAndNothingIsQueued() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        Answer empty = send(ch, text(to, ""));
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.json().at("/error/code").asString()).isEqualTo("text.body.required");

        Answer tooLong = send(ch, text(to, "x".repeat(4097)));
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.json().at("/error/code").asString()).contains("text.body");
        assertThat(tooLong.json().at("/error/message").asString()).contains("4096");

        Answer badTo = send(ch, text("12", "hi"));
        assertThat(badTo.status()).isEqualTo(422);
        assertThat(badTo.json().at("/error/code").asString()).contains("to");

        Answer buttons = send(ch, Map.of("to", to, "type", "interactive", "interactive", Map.of("type", "button",
                "body", Map.of("text", "Pick"), "action", Map.of("buttons", List.of(
                        Map.of("type", "reply", "reply", Map.of("id", "a", "title", "A")),
                        Map.of("type", "reply", "reply", Map.of("id", "b", "title", "B")),
                        Map.of("type", "reply", "reply", Map.of("id", "c", "title", "C")),
                        Map.of("type", "reply", "reply", Map.of("id", "d", "title", "D")))))));
        assertThat(buttons.status()).isEqualTo(422);
        assertThat(buttons.json().at("/error/message").asString()).contains("button");

        Answer audioCaption = send(ch, Map.of("to", to, "type", "audio",
                "audio", Map.of("id", "123", "caption", "no")));
        assertThat(audioCaption.status()).isEqualTo(422);
        assertThat(audioCaption.json().at("/error/code").asString()).contains("caption");

        Answer unknownType = send(ch, Map.of("to", to, "type", "hologram", "hologram", Map.of()));
        assertThat(unknownType.status()).isEqualTo(422);

        assertThat(queueSize(ch)).isZero();
        assertThat(sent(ch)).isEmpty();
    }

    @Test
    void anotherOrganizationsIntegrationIs404AndADisabledOneIs422() {
        Channel ch = newChannel();
        Channel other = newChannel();
        String to = customer();
        customerWrites(ch, to);
        Answer foreign = post("/api/v1/messages", other.token(), json(Map.of(
                "integration_id", ch.integrationId().toString(), "to", to, "type", "text",
                "text", Map.of("body", "hi"))));
        assertThat(foreign.status()).isEqualTo(404);
        Answer unknown = post("/api/v1/messages", ch.token(), json(Map.of(
                "integration_id", java.util.UUID.randomUUID().toString(), "to", to, "type", "text",
                "text", Map.of("body", "hi"))));
        assertThat(unknown.status()).isEqualTo(404);
        Answer missing = post("/api/v1/messages", ch.token(), json(text(to, "hi")));
        assertThat(missing.status()).isEqualTo(422);

        Answer disable = call("PUT", INTEGRATIONS + "/" + ch.integrationId(), ch.token(),
                json(Map.of("enabled", false)));
        assertThat(disable.status()).as(disable.body()).isEqualTo(200);
        Answer disabled = send(ch, text(to, "hi"));
        assertThat(disabled.status()).isEqualTo(422);
        assertThat(disabled.json().at("/error/code").asString()).isEqualTo("integration_disabled");
        assertThat(queueSize(ch)).isZero();
    }

    @Test
    void freeFormOutsideTheWindowIsRefusedSayingATemplateIsNeeded() {
        Channel ch = newChannel();
        String never = customer();
        Answer a = send(ch, text(never, "hello?"));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().at("/error/code").asString()).isEqualTo("window_closed");
        assertThat(a.json().at("/error/message").asString()).contains("template");

        String lapsed = customer();
        customerWroteAt(ch, lapsed, Instant.now().minus(Duration.ofHours(25)));
        Answer late = send(ch, Map.of("to", lapsed, "type", "image",
                "image", Map.of("link", "https://example.com/a.png")));
        assertThat(late.status()).isEqualTo(422);
        assertThat(late.json().at("/error/code").asString()).isEqualTo("window_closed");
        assertThat(late.json().at("/error/message").asString()).contains("template");
        assertThat(queueSize(ch)).isZero();

        // a template is always allowed, window or not
        templates(ch, HELLO_WORLD);
        String id = queued(ch, Map.of("to", never, "type", "template", "template",
                Map.of("name", "hello_world", "language", Map.of("code", "en_US"))));
        awaitAccepted(ch, id);
    }

    @Test
    void templatesAreCheckedAgainstTheStoredTemplateBeforeQueueing() {
        Channel ch = newChannel();
        templates(ch, ORDER_TEMPLATES);
        String to = customer();

        Answer unknown = send(ch, Map.of("to", to, "type", "template", "template",
                Map.of("name", "no_such_template", "language", Map.of("code", "en_US"))));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().at("/error/code").asString()).isEqualTo("template_not_found");

        Answer wrongLanguage = send(ch, Map.of("to", to, "type", "template", "template",
                Map.of("name", "order_update", "language", Map.of("code", "pt_BR"))));
        assertThat(wrongLanguage.json().at("/error/code").asString()).isEqualTo("template_not_found");

        Answer rejected = send(ch, Map.of("to", to, "type", "template", "template",
                Map.of("name", "promo", "language", Map.of("code", "en_US"))));
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.json().at("/error/code").asString()).isEqualTo("template_not_approved");
        assertThat(rejected.json().at("/error/message").asString()).contains("REJECTED");

        Answer oneBody = send(ch, orderTemplate(to, List.of(IMAGE_HEADER, URL_BUTTON,
                Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", "Ana"))))));
        assertThat(oneBody.status()).isEqualTo(422);
        assertThat(oneBody.json().at("/error/code").asString()).isEqualTo("template_body_parameters");
        assertThat(oneBody.json().at("/error/message").asString()).contains("takes 2").contains("1 given");

        Answer videoHeader = send(ch, orderTemplate(to, List.of(TWO_BODY, URL_BUTTON, Map.of("type", "header",
                "parameters", List.of(Map.of("type", "video", "video", Map.of("link", "https://example.com/v.mp4")))))));
        assertThat(videoHeader.status()).isEqualTo(422);
        assertThat(videoHeader.json().at("/error/code").asString()).isEqualTo("template_header");
        assertThat(videoHeader.json().at("/error/message").asString()).contains("image").contains("video");

        Answer noHeader = send(ch, orderTemplate(to, List.of(TWO_BODY, URL_BUTTON)));
        assertThat(noHeader.json().at("/error/code").asString()).isEqualTo("template_header");

        Answer noButton = send(ch, orderTemplate(to, List.of(IMAGE_HEADER, TWO_BODY)));
        assertThat(noButton.status()).isEqualTo(422);
        assertThat(noButton.json().at("/error/code").asString()).isEqualTo("template_button");
        assertThat(noButton.json().at("/error/message").asString()).contains("Button 1");

        Answer wrongSubType = send(ch, orderTemplate(to, List.of(IMAGE_HEADER, TWO_BODY, URL_BUTTON,
                Map.of("type", "button", "sub_type", "url", "index", "0",
                        "parameters", List.of(Map.of("type", "text", "text", "x"))))));
        assertThat(wrongSubType.json().at("/error/code").asString()).isEqualTo("template_button");
        assertThat(wrongSubType.json().at("/error/message").asString()).contains("QUICK_REPLY");

        Answer noSuchButton = send(ch, orderTemplate(to, List.of(IMAGE_HEADER, TWO_BODY, URL_BUTTON,
                Map.of("type", "button", "sub_type", "quick_reply", "index", "5",
                        "parameters", List.of(Map.of("type", "payload", "payload", "x"))))));
        assertThat(noSuchButton.json().at("/error/code").asString()).isEqualTo("template_button");
        assertThat(queueSize(ch)).isZero();

        Answer ok = send(ch, orderTemplate(to, List.of(IMAGE_HEADER, TWO_BODY, URL_BUTTON,
                Map.of("type", "button", "sub_type", "quick_reply", "index", "0",
                        "parameters", List.of(Map.of("type", "payload", "payload", "STOP"))))));
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
        assertThat(queueSize(ch)).isLessThanOrEqualTo(1);
    }

    @Test
    void theSendingRateIsConfigurablePerIntegrationUpToMetasMaximum() {
        Channel ch = newChannel();
        String path = INTEGRATIONS + "/" + ch.integrationId() + "/sending";
        Answer initial = get(path, ch.token());
        assertThat(initial.status()).isEqualTo(200);
        assertThat(initial.json().get("messages_per_second").asInt()).isEqualTo(80);
        assertThat(initial.json().get("default").asBoolean()).isTrue();

        Answer set = call("PUT", path, ch.token(), json(Map.of("messages_per_second", 1000)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(get(path, ch.token()).json().get("messages_per_second").asInt()).isEqualTo(1000);

        Answer tooFast = call("PUT", path, ch.token(), json(Map.of("messages_per_second", 1001)));
        assertThat(tooFast.status()).isEqualTo(422);
        Answer zero = call("PUT", path, ch.token(), json(Map.of("messages_per_second", 0)));
        assertThat(zero.status()).isEqualTo(422);

        String agent = tokenFor(ch.org(), Role.AGENT);
        assertThat(call("PUT", path, agent, json(Map.of("messages_per_second", 5))).status()).isEqualTo(403);
        Channel other = newChannel();
        assertThat(get(path, other.token()).status()).isEqualTo(404);
        assertThat(call("PUT", path, other.token(), json(Map.of("messages_per_second", 5))).status())
                .isEqualTo(404);
    }
}
