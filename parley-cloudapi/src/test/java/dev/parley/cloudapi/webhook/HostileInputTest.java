package dev.parley.cloudapi.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whatever arrives, the parser answers with a payload or a WebhookParseException: never another exception,
 * never a hang (the timeout guards against hangs only; it is not a performance assertion).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputTest {

    private final WebhookParser parser = new WebhookParser();

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("empty body", bytes(""), "empty"),
                Arguments.of("whitespace only", bytes("  \n "), "empty"),
                Arguments.of("truncated JSON", bytes("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":"),
                        "not valid JSON"),
                Arguments.of("truncated inside a string", bytes("{\"entry\":[{\"id\":\"12"), "not valid JSON"),
                Arguments.of("top-level array", bytes("[]"), "top level is array"),
                Arguments.of("top-level string", bytes("\"x\""), "top level is string"),
                Arguments.of("top-level number", bytes("42"), "top level is number"),
                Arguments.of("top-level null", bytes("null"), "top level is null"),
                Arguments.of("no entry", bytes("{\"object\":\"whatsapp_business_account\"}"), "no 'entry' array"),
                Arguments.of("entry null", bytes("{\"entry\":null}"), "no 'entry' array"),
                Arguments.of("entry a number", bytes("{\"entry\":5}"), "'entry' must be an array, but is number"),
                Arguments.of("entry an object", bytes("{\"entry\":{}}"), "'entry' must be an array, but is object"),
                Arguments.of("entry a string", bytes("{\"entry\":\"[]\"}"), "'entry' must be an array"),
                Arguments.of("trailing garbage", bytes("{\"entry\":[]} x"), "not valid JSON"),
                Arguments.of("two documents", bytes("{\"entry\":[]}{\"entry\":[]}"), "not valid JSON"),
                Arguments.of("single quotes", bytes("{'entry':[]}"), "not valid JSON"),
                Arguments.of("trailing comma", bytes("{\"entry\":[],}"), "not valid JSON"),
                Arguments.of("comment", bytes("{\"entry\":[] /* hi */}"), "not valid JSON"),
                Arguments.of("NaN", bytes("{\"entry\":[],\"n\":NaN}"), "not valid JSON"),
                Arguments.of("unescaped control char", bytes("{\"entry\":[],\"s\":\"a\u0001b\"}"), "not valid JSON"),
                Arguments.of("invalid UTF-8 in a string",
                        concat(bytes("{\"entry\":[],\"s\":\""), new byte[] {(byte) 0xC3, (byte) 0x28}, bytes("\"}")),
                        "not valid JSON"),
                Arguments.of("0xFF byte", concat(bytes("{\"entry\":[],\"s\":\""), new byte[] {(byte) 0xFF},
                        bytes("\"}")), "not valid JSON"),
                Arguments.of("UTF-16 encoded body", "{\"entry\":5}".getBytes(java.nio.charset.StandardCharsets.UTF_16LE),
                        "'entry' must be an array"),
                Arguments.of("10,000-deep arrays under entry",
                        bytes("{\"entry\":[" + "[".repeat(10_000) + "]".repeat(10_000) + "]}"),
                        "exceeds a parser safety limit: Document nesting depth"),
                Arguments.of("10,000-deep objects in an unknown field",
                        bytes("{\"entry\":[],\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}"),
                        "exceeds a parser safety limit: Document nesting depth"),
                Arguments.of("10,000-deep unclosed", bytes("{\"entry\":" + "[".repeat(10_000)),
                        "exceeds a parser safety limit: Document nesting depth"),
                Arguments.of("number with 5,000 digits",
                        bytes("{\"entry\":[{\"id\":" + "9".repeat(5_000) + "}]}"),
                        "exceeds a parser safety limit: Number value length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void malformedBodiesAreRejectedWithAClearMessage(String name, byte[] body, String messagePart) {
        assertThatThrownBy(() -> parser.parse(body))
                .isExactlyInstanceOf(WebhookParseException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400));
    }

    @Test
    void nullBodyIsRejected() {
        assertThatThrownBy(() -> parser.parse((byte[]) null)).isExactlyInstanceOf(WebhookParseException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> parser.parse((String) null)).isExactlyInstanceOf(WebhookParseException.class);
    }

    @Test
    void nonObjectValueIsKeptAsUnknown() {
        WebhookPayload payload = parser.parse("{\"entry\":[{\"changes\":[{\"value\":7}]}]}");
        WebhookChange change = payload.entries().get(0).changes().get(0);
        assertThat(change.field()).isNull();
        assertThat(change.value()).isInstanceOf(UnknownChangeValue.class);
        assertThat(change.value().raw().asInt()).isEqualTo(7);
        assertThat(payload.messageEvents()).isEmpty();
        assertThat(payload.entries().get(0).id()).isNull();
    }

    @Test
    void messagesFieldWithNonObjectValueIsKeptAsUnknown() {
        WebhookPayload payload = parser.parse("{\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":[1]}]}]}");
        UnknownChangeValue value = (UnknownChangeValue) payload.changeEvents().get(0).value();
        assertThat(value.field()).isEqualTo("messages");
        assertThat(value.raw().isArray()).isTrue();
    }

    @Test
    void wrongTypesBecomeNullOrEmptyNotErrors() {
        WebhookPayload payload = parser.parse("""
                {"object": 5, "entry": [5, "x", null, {"id": 123, "time": "soon", "changes": "x"},
                  {"id": {"a": 1}, "changes": [7, {"field": "messages", "value": {
                     "messaging_product": ["whatsapp"], "metadata": [], "contacts": [1, {"wa_id": 9}],
                     "messages": "x", "statuses": 5, "errors": {"code": 1}}}]},
                  {"id": "W", "changes": [{"field": "messages", "value": {
                     "metadata": {"phone_number_id": 1122334455667},
                     "messages": [5, {"from": 123, "id": {"a": 1}, "timestamp": "abc", "type": 5, "text": []},
                                  {"from": "u", "id": "m", "timestamp": 1700000000, "type": "text", "text": "hello"},
                                  {"from": "u", "id": "m2", "timestamp": "9223372036854775807", "type": "location",
                                   "location": {"latitude": "52.5", "longitude": true}},
                                  {"from": "u", "id": "m3", "timestamp": "99999999999999999999", "type": "reaction",
                                   "reaction": {"message_id": 5, "emoji": null}},
                                  {"from": "u", "id": "m4", "timestamp": "-1", "type": "order",
                                   "order": {"product_items": [{"quantity": 1e400, "item_price": "12.50"},
                                                               {"quantity": "2", "item_price": 1e400}]}},
                                  {"from": "u", "id": "m5", "timestamp": "1", "type": "interactive",
                                   "interactive": {"type": "nfm_reply", "nfm_reply": {"response_json": "{not json"}}},
                                  {"from": "u", "id": "m6", "timestamp": "1", "type": "audio",
                                   "audio": {"voice": "TRUE", "id": 12345678901234567890123}}],
                     "statuses": [{"id": "s", "status": 5, "timestamp": [], "errors": [{"code": "131047x"},
                                   {"code": 12345678901}], "conversation": "c", "pricing": {"billable": "yes"}}]}}]}]}
                """);
        assertThat(payload.object()).isEqualTo("5");
        assertThat(payload.entries()).hasSize(6);
        assertThat(payload.entries().get(3).id()).isEqualTo("123");
        assertThat(payload.entries().get(3).time()).isNull();
        assertThat(payload.entries().get(3).changes()).isEmpty();
        assertThat(payload.entries().get(4).id()).isNull();
        MessagesValue broken = (MessagesValue) payload.entries().get(4).changes().get(1).value();
        assertThat(broken.messagingProduct()).isNull();
        assertThat(broken.metadata()).isNull();
        assertThat(broken.contacts()).hasSize(2);
        assertThat(broken.contacts().get(1).waId()).isEqualTo("9");
        assertThat(broken.messages()).isEmpty();
        assertThat(broken.statuses()).isEmpty();
        assertThat(broken.errors()).isEmpty();

        assertThat(payload.phoneNumberIds()).containsExactly("1122334455667");
        List<MessageEvent> events = payload.messageEvents();
        assertThat(events).hasSize(8);
        assertThat(events.get(0).message().kind()).isEqualTo(MessageType.UNKNOWN);
        assertThat(events.get(0).message().raw().asInt()).isEqualTo(5);
        InboundMessage typeConfused = events.get(1).message();
        assertThat(typeConfused.from()).isEqualTo("123");
        assertThat(typeConfused.id()).isNull();
        assertThat(typeConfused.timestamp()).isNull();
        assertThat(typeConfused.rawTimestamp()).isEqualTo("abc");
        assertThat(typeConfused.type()).isEqualTo("5");
        assertThat(typeConfused.kind()).isEqualTo(MessageType.UNKNOWN);
        InboundMessage textAsString = events.get(2).message();
        assertThat(textAsString.timestamp()).isEqualTo(java.time.Instant.ofEpochSecond(1700000000L));
        assertThat(((MessageContent.Text) textAsString.content()).body()).isNull();
        assertThat(textAsString.content().raw().asString()).isEqualTo("hello");
        InboundMessage location = events.get(3).message();
        assertThat(location.timestamp()).isNull();
        assertThat(((MessageContent.Location) location.content()).latitude()).isEqualTo(52.5);
        assertThat(((MessageContent.Location) location.content()).longitude()).isNull();
        InboundMessage reaction = events.get(4).message();
        assertThat(reaction.timestamp()).isNull();
        assertThat(((MessageContent.Reaction) reaction.content()).isRemoval()).isTrue();
        assertThat(((MessageContent.Reaction) reaction.content()).messageId()).isEqualTo("5");
        MessageContent.Order order = (MessageContent.Order) events.get(5).message().content();
        assertThat(order.productItems().get(0).quantity()).isNull();
        assertThat(order.productItems().get(0).itemPrice()).isEqualByComparingTo("12.50");
        assertThat(order.productItems().get(1).quantity()).isEqualTo(2L);
        assertThat(order.productItems().get(1).itemPrice()).isNull();
        InteractiveReply.NfmReply nfm = (InteractiveReply.NfmReply)
                ((MessageContent.Interactive) events.get(6).message().content()).reply();
        assertThat(nfm.responseJson()).isEqualTo("{not json");
        assertThat(nfm.response()).isNull();
        MessageContent.Audio audio = (MessageContent.Audio) events.get(7).message().content();
        assertThat(audio.isVoice()).isTrue();
        assertThat(audio.id()).isEqualTo("12345678901234567890123");

        MessageStatus status = payload.statusEvents().get(0).status();
        assertThat(status.status()).isEqualTo(StatusType.UNKNOWN);
        assertThat(status.rawStatus()).isEqualTo("5");
        assertThat(status.timestamp()).isNull();
        assertThat(status.errors()).extracting(WebhookError::code).containsExactly(null, null);
        assertThat(status.conversation()).isNull();
        assertThat(status.pricing().billable()).isNull();
    }

    @Test
    void hugeNumbersAreParsedNotRejected() {
        WebhookPayload payload = parser.parse("{\"entry\":[{\"id\":\"W\",\"time\":" + "9".repeat(900)
                + ",\"changes\":[{\"field\":\"message_template_status_update\",\"value\":{\"message_template_id\":1e999999,"
                + "\"event\":-1e-999999}}]}]}");
        assertThat(payload.entries().get(0).time()).isNull();
        TemplateStatusUpdate update = (TemplateStatusUpdate) payload.changeEvents().get(0).value();
        assertThat(update.eventType()).isEqualTo(TemplateStatusEvent.UNKNOWN);
        assertThat(update.templateId()).isNotNull();
    }

    @Test
    void deeplyNestedResponseJsonStringDoesNotBreakTheMessage() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        WebhookPayload payload = parser.parse("{\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{"
                + "\"messages\":[{\"id\":\"m\",\"type\":\"interactive\",\"interactive\":{\"type\":\"nfm_reply\","
                + "\"nfm_reply\":{\"response_json\":\"" + deep + "\"}}}]}}]}]}");
        InteractiveReply.NfmReply reply = (InteractiveReply.NfmReply)
                ((MessageContent.Interactive) payload.messageEvents().get(0).message().content()).reply();
        assertThat(reply.responseJson()).hasSize(20_000);
        assertThat(reply.response()).isNull();
    }

    @Test
    void loneSurrogatesAndNulCharactersAreKept() {
        WebhookPayload payload = parser.parse("{\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{"
                + "\"messages\":[{\"id\":\"m\",\"type\":\"text\",\"text\":{\"body\":\"a\\ud83d b\\u0000c\"}}]}}]}]}");
        assertThat(((MessageContent.Text) payload.messageEvents().get(0).message().content()).body())
                .isEqualTo("a\ud83d b\u0000c");
    }

    /**
     * Every value in every real sample, replaced by each JSON type in turn (and removed): the result always
     * parses (only {@code entry} itself is allowed to cause a rejection) and all convenience views work.
     */
    @Test
    void typeConfusionAnywhereInRealSamplesNeverBreaksParsing() throws Exception {
        JsonMapper mapper = JsonMapper.builder().build();
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> replacements = List.of(f.nullNode(), f.numberNode(5), f.numberNode(-1.5e300),
                f.numberNode(new java.math.BigInteger("9".repeat(40))), f.stringNode("x"), f.stringNode(""),
                f.booleanNode(true), f.arrayNode(), f.arrayNode().add(1), f.objectNode(),
                f.objectNode().put("type", "x"));
        int parsed = 0;
        for (String file : webhookSamples()) {
            JsonNode original = mapper.readTree(ConformancePayloadsTest.read(file));
            List<List<Object>> paths = new ArrayList<>();
            collectPaths(original, new ArrayList<>(), paths);
            for (List<Object> path : paths) {
                boolean isEntry = path.size() == 1 && "entry".equals(path.get(0));
                List<JsonNode> variants = new ArrayList<>(replacements);
                variants.add(null); // null = remove the field / element
                for (JsonNode replacement : variants) {
                    JsonNode mutated = original.deepCopy();
                    replace(mutated, path, replacement);
                    byte[] body = mapper.writeValueAsBytes(mutated);
                    try {
                        exercise(parser.parse(body));
                        parsed++;
                    } catch (WebhookParseException e) {
                        if (!isEntry) {
                            fail("%s: replacing %s with %s was rejected: %s", file, path, replacement,
                                    e.getMessage());
                        }
                    } catch (RuntimeException e) {
                        throw new AssertionError(file + ": replacing " + path + " with " + replacement
                                + " threw " + e, e);
                    }
                }
            }
        }
        assertThat(parsed).isGreaterThan(5_000);
    }

    /** Random byte-level damage to real samples: only payloads or WebhookParseExceptions come out. */
    @Test
    void randomByteDamageNeverThrowsAnythingElse() throws Exception {
        Random random = new Random(20240601L);
        int rejected = 0;
        int parsed = 0;
        for (String file : webhookSamples()) {
            byte[] original = ConformancePayloadsTest.read(file);
            for (int cut = 0; cut < original.length; cut += 7) {
                if (outcome(Arrays.copyOf(original, cut))) {
                    parsed++;
                } else {
                    rejected++;
                }
            }
            for (int round = 0; round < 300; round++) {
                byte[] damaged = original.clone();
                int edits = 1 + random.nextInt(4);
                for (int i = 0; i < edits; i++) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
                if (outcome(damaged)) {
                    parsed++;
                } else {
                    rejected++;
                }
            }
        }
        assertThat(parsed).isPositive();
        assertThat(rejected).isPositive();
    }

    private boolean outcome(byte[] body) {
        try {
            exercise(parser.parse(body));
            return true;
        } catch (WebhookParseException e) {
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
    }

    private static void exercise(WebhookPayload payload) {
        payload.messageEvents().forEach(e -> {
            e.profileName();
            e.message().kind();
            e.message().content(MessageContent.Media.class);
        });
        payload.statusEvents().forEach(e -> e.status().status());
        payload.errorEvents();
        payload.changeEvents().forEach(c -> c.value().field());
        payload.phoneNumberIds();
        payload.wabaIds();
        assertThat(payload.toString()).isNotEmpty();
    }

    private static List<String> webhookSamples() {
        return List.of("inbound-text.json", "inbound-image.json", "inbound-video.json", "inbound-voice.json",
                "inbound-document.json", "inbound-sticker.json", "inbound-location.json", "inbound-contacts.json",
                "inbound-interactive-button-reply.json", "inbound-interactive-list-reply.json",
                "inbound-interactive-nfm-reply.json", "inbound-button-template-quick-reply.json",
                "inbound-reaction-escaped-emoji.json", "inbound-order.json",
                "inbound-system-user-changed-number.json", "inbound-referral.json", "inbound-unsupported.json",
                "inbound-unknown-meta-postman.json", "inbound-value-errors.json", "status-sent.json",
                "status-failed.json", "template-status-approved.json", "template-category-update.json",
                "account-update-restriction.json", "account-update-violation.json",
                "phone-number-quality-update.json");
    }

    private static void collectPaths(JsonNode node, List<Object> prefix, List<List<Object>> out) {
        if (node.isObject()) {
            for (String name : node.propertyNames()) {
                List<Object> path = new ArrayList<>(prefix);
                path.add(name);
                out.add(path);
                collectPaths(node.get(name), path, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> path = new ArrayList<>(prefix);
                path.add(i);
                out.add(path);
                collectPaths(node.get(i), path, out);
            }
        }
    }

    private static void replace(JsonNode root, List<Object> path, JsonNode replacement) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof String ? parent.get((String) step) : parent.get((Integer) step);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof String) {
            if (replacement == null) {
                ((ObjectNode) parent).remove((String) last);
            } else {
                ((ObjectNode) parent).set((String) last, replacement);
            }
        } else if (replacement == null) {
            ((ArrayNode) parent).remove((Integer) last);
        } else {
            ((ArrayNode) parent).set((Integer) last, replacement);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}
