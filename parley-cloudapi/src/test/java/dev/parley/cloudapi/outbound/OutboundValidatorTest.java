package dev.parley.cloudapi.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The validator over Meta's own send JSON, as the server's send endpoint will use it. */
class OutboundValidatorTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = OutboundValidatorTest.class.getResourceAsStream("/conformance/payloads/" + name)) {
            return JSON.readTree(in);
        }
    }

    static List<String> rules(String json) {
        return OutboundValidator.validate(JSON.readTree(json)).stream().map(Violation::rule).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"send-text-request.json", "send-contacts-request.json", "send-location-request.json",
            "send-template-request.json", "send-template-document-url-button-request.json",
            "send-template-image-datetime-currency-request.json"})
    void metasOwnExamplesPass(String name) throws IOException {
        assertThat(OutboundValidator.validate(fixture(name))).isEmpty();
    }

    @Test
    void metasPlaceholderExamplesFailOnlyOnTheirPlaceholders() throws IOException {
        // Meta's Postman examples keep "{{Recipient-Phone-Number}}" and "http(s)://image-url" placeholders
        assertThat(OutboundValidator.validate(fixture("send-image-by-link-request.json"))).extracting(Violation::rule)
                .containsExactly("to.invalid", "media.link.invalid");
        assertThat(OutboundValidator.validate(fixture("send-interactive-button-request.json")))
                .extracting(Violation::rule).containsExactly("to.invalid");
    }

    @Test
    void typeDefaultsToTextAsMetaDoes() {
        assertThat(rules("""
                {"messaging_product":"whatsapp","to":"15551234567","text":{"body":"hi","preview_url":true}}""")).isEmpty();
    }

    @Test
    void namesEachRuleWithPathAndMessage() {
        List<Violation> v = OutboundValidator.validate(JSON.readTree("""
                {"messaging_product":"whatsapp","to":"15551234567","type":"interactive","interactive":{"type":"button",
                 "body":{"text":"pick"},"action":{"buttons":[
                  {"type":"reply","reply":{"id":"a","title":"A"}},{"type":"reply","reply":{"id":"b","title":"B"}},
                  {"type":"reply","reply":{"id":"c","title":"C"}},{"type":"reply","reply":{"id":"d","title":"D"}}]}}}
                """));

        assertThat(v).containsExactly(new Violation("interactive.action.buttons", "interactive.buttons.max",
                "interactive button messages allow at most 3 reply buttons, got 4"));
    }

    @Test
    void envelopeRules() {
        assertThat(rules("[]")).containsExactly("body.object");
        assertThat(rules("{\"to\":\"15551234567\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}"))
                .containsExactly("messaging_product.invalid");
        assertThat(rules("{\"messaging_product\":\"whatsapp\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}"))
                .containsExactly("to.required");
        assertThat(rules("{\"messaging_product\":\"whatsapp\",\"to\":\"15551234567\",\"type\":\"fax\",\"fax\":{}}"))
                .containsExactly("type.unknown");
        assertThat(rules("{\"messaging_product\":\"whatsapp\",\"to\":\"15551234567\",\"type\":\"image\"}"))
                .containsExactly("image.required");
        assertThat(rules("{\"messaging_product\":\"whatsapp\",\"to\":\"15551234567\",\"type\":\"image\",\"image\":{}}"))
                .containsExactly("media.source.required");
        assertThat(rules("{\"messaging_product\":\"whatsapp\",\"to\":\"15551234567\",\"type\":\"image\","
                + "\"image\":{\"id\":\"1\",\"link\":\"https://e.com/a.png\"}}")).containsExactly("media.source.exclusive");
        assertThat(rules("{\"messaging_product\":\"whatsapp\",\"to\":\"15551234567\",\"type\":\"text\","
                + "\"text\":{\"body\":42}}")).containsExactly("text.body.type");
        assertThat(rules("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"broadcast\",\"to\":\"15551234567\","
                + "\"text\":{\"body\":\"hi\"}}")).containsExactly("recipient_type.invalid");
        assertThat(rules("{\"messaging_product\":\"whatsapp\",\"to\":\"15551234567\",\"type\":\"interactive\","
                + "\"interactive\":{\"type\":\"carousel_of_doom\"}}")).containsExactly("interactive.type.unknown");
    }

    @Test
    void unknownFieldsPassThrough() {
        assertThat(rules("""
                {"messaging_product":"whatsapp","to":"15551234567","type":"text","text":{"body":"hi","new_meta_field":1},
                 "another_new_field":{"x":true}}""")).isEmpty();
    }

    @Test
    void fromJsonWrapsAValidBodyAndRefusesAnInvalidOne() {
        JsonNode ok = JSON.readTree("{\"messaging_product\":\"whatsapp\",\"to\":\"15551234567\",\"type\":\"text\","
                + "\"text\":{\"body\":\"hi\"}}");

        assertThat(OutboundMessage.fromJson(ok).toJson()).isEqualTo(ok);
        assertThat(OutboundMessage.fromJson(ok).type()).isEqualTo("text");
        assertThatThrownBy(() -> OutboundMessage.fromJson(JSON.readTree("{\"to\":\"1\"}")))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> assertThat(e.rules())
                        .containsExactly("messaging_product.invalid", "to.invalid", "text.required"));
    }
}
