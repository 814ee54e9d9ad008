package dev.parley.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MessagesTest extends EmulatorTestBase {
    static final Path PAYLOADS = Path.of("../parley-cloudapi/src/test/resources/conformance/payloads");

    @Test
    void acceptedReplyProgressesSentDeliveredReadWithMetasFields() throws Exception {
        start();
        emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        var r = post(biz.phoneNumberId() + "/messages", "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                + "\"to\":\"+1 (555) 123-4567\",\"type\":\"text\",\"text\":{\"preview_url\":false,\"body\":\"hello\"},"
                + "\"biz_opaque_callback_data\":\"tracking-1\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(body.path("contacts").get(0).path("input").asString()).isEqualTo("+1 (555) 123-4567");
        assertThat(body.path("contacts").get(0).path("wa_id").asString()).isEqualTo(CUSTOMER);
        String wamid = wamidOf(r);
        assertThat(wamid).startsWith("wamid.");
        assertThat(body.path("messages").get(0).has("message_status")).isFalse();

        JsonNode sent = awaitStatus(wamid, "sent");
        JsonNode delivered = awaitStatus(wamid, "delivered");
        JsonNode read = awaitStatus(wamid, "read");
        assertThat(sent.path("recipient_id").asString()).isEqualTo(CUSTOMER);
        assertThat(sent.path("timestamp").asString()).matches("\\d{10}");
        assertThat(sent.path("biz_opaque_callback_data").asString()).isEqualTo("tracking-1");
        assertThat(sent.path("pricing").path("category").asString()).isEqualTo("service");
        assertThat(sent.path("pricing").path("pricing_model").asString()).isEqualTo("PMP");
        assertThat(sent.has("conversation")).as("omitted from v24.0 on").isFalse();
        assertThat(delivered.has("pricing")).isTrue();
        assertThat(read.has("pricing")).as("pricing on sent and one of delivered/read").isFalse();
        await().atMost(Duration.ofSeconds(2)).until(() -> emu.sent(biz.phoneNumberId()).get(0).status().equals("read"));
        SentMessage m = emu.sent(biz.phoneNumberId()).get(0);
        assertThat(m.wamid()).isEqualTo(wamid);
        assertThat(m.to()).isEqualTo(CUSTOMER);
        assertThat(m.type()).isEqualTo("text");
        assertThat(json(m.requestBody()).path("text").path("body").asString()).isEqualTo("hello");
    }

    @Test
    void olderApiVersionsCarryConversationWithExpiryOnSent() throws Exception {
        start();
        emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        var r = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(emu.baseUrl() + "/v21.0/" + biz.phoneNumberId() + "/messages"))
                .header("Authorization", "Bearer " + biz.accessToken()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"text\":{\"body\":\"x\"}}")).build());
        JsonNode sent = awaitStatus(wamidOf(r), "sent");
        assertThat(sent.path("conversation").path("expiration_timestamp").asString()).matches("\\d{10}");
        assertThat(sent.path("conversation").path("origin").path("type").asString()).isEqualTo("service");
        assertThat(awaitStatus(wamidOf(r), "delivered").path("conversation").has("expiration_timestamp")).isFalse();
    }

    @Test
    void freeFormOutsideTheWindowIsAcceptedThenFailsWith131047LikeMeta() throws Exception {
        start();
        var r = sendText("15559990000", "anyone there?");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode failed = awaitStatus(wamidOf(r), "failed");
        JsonNode fixture = json(Files.readString(PAYLOADS.resolve("status-failed.json")))
                .path("entry").get(0).path("changes").get(0).path("value").path("statuses").get(0);
        assertThat(fieldNames(failed)).containsExactlyElementsOf(fieldNames(fixture));
        JsonNode err = failed.path("errors").get(0);
        assertThat(err).isEqualTo(fixture.path("errors").get(0));
        assertThat(emu.sent(biz.phoneNumberId()).get(0).status()).isEqualTo("failed");
        assertThat(emu.sent(biz.phoneNumberId()).get(0).errorCode()).isEqualTo(131047);
    }

    @Test
    void templatesAreAllowedOutsideTheWindowAndMarkedAccepted() throws Exception {
        start();
        var r = post(biz.phoneNumberId() + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":\"15559990000\","
                + "\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("messages").get(0).path("message_status").asString()).isEqualTo("accepted");
        JsonNode sent = awaitStatus(wamidOf(r), "sent");
        assertThat(sent.path("pricing").path("category").asString()).isEqualTo("utility");
        assertThat(sent.path("pricing").path("billable").asBoolean()).isTrue();
    }

    @Test
    void customerNotOnWhatsAppFailsWith131026() throws Exception {
        start();
        emu.setOnWhatsApp("15557770000", false);
        var r = post(biz.phoneNumberId() + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":\"15557770000\","
                + "\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}");
        JsonNode failed = awaitStatus(wamidOf(r), "failed");
        assertThat(failed.path("errors").get(0).path("code").asInt()).isEqualTo(131026);
    }

    @Test
    void templateErrors132001And132000() throws Exception {
        start();
        emu.addTemplate(biz.wabaId(), "order_update", "en_US", "UTILITY",
                "[{\"type\":\"BODY\",\"text\":\"Order {{1}} is {{2}}\"}]", "APPROVED");
        emu.addTemplate(biz.wabaId(), "waiting_room", "en_US", "UTILITY", "[{\"type\":\"BODY\",\"text\":\"Hi\"}]", "PENDING");
        String pn = biz.phoneNumberId() + "/messages";
        var unknown = post(pn, tpl("no_such_template", "en_US", ""));
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode e = json(unknown).path("error");
        assertThat(e.path("code").asInt()).isEqualTo(132001);
        assertThat(e.path("message").asString()).isEqualTo("(#132001) Template name does not exist in the translation");
        assertThat(e.path("type").asString()).isEqualTo("OAuthException");
        assertThat(e.path("error_data").path("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(e.path("error_data").path("details").asString()).contains("no_such_template");
        assertThat(e.path("fbtrace_id").asString()).isNotBlank();
        assertThat(errorCode(post(pn, tpl("hello_world", "pt_BR", "")))).isEqualTo(132001);
        assertThat(errorCode(post(pn, tpl("waiting_room", "en_US", "")))).isEqualTo(132001);

        var wrongCount = post(pn, tpl("order_update", "en_US", ",\"components\":[{\"type\":\"body\",\"parameters\":"
                + "[{\"type\":\"text\",\"text\":\"42\"}]}]"));
        assertThat(errorCode(wrongCount)).isEqualTo(132000);
        assertThat(json(wrongCount).path("error").path("error_data").path("details").asString())
                .contains("(1)").contains("(2)");
        var ok = post(pn, tpl("order_update", "en_US", ",\"components\":[{\"type\":\"body\",\"parameters\":"
                + "[{\"type\":\"text\",\"text\":\"42\"},{\"type\":\"text\",\"text\":\"shipped\"}]}]"));
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    private static String tpl(String name, String lang, String extra) {
        return "{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"template\",\"template\":{\"name\":\""
                + name + "\",\"language\":{\"code\":\"" + lang + "\"}" + extra + "}}";
    }

    @Test
    void validationFollowsMeta() throws Exception {
        start();
        String pn = biz.phoneNumberId() + "/messages";
        String head = "{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",";
        // missing messaging_product
        var noProduct = post(pn, "{\"to\":\"" + CUSTOMER + "\",\"text\":{\"body\":\"x\"}}");
        assertThat(errorCode(noProduct)).isEqualTo(100);
        assertThat(json(noProduct).path("error").path("error_data").path("details").asString()).contains("messaging_product");
        // missing text body
        var noBody = post(pn, head + "\"type\":\"text\",\"text\":{}}");
        assertThat(errorCode(noBody)).isEqualTo(131008);
        assertThat(json(noBody).path("error").path("message").asString()).isEqualTo("(#131008) Required parameter is missing");
        assertThat(json(noBody).path("error").path("error_data").path("details").asString()).contains("text['body']");
        // text longer than 4096
        assertThat(errorCode(post(pn, head + "\"type\":\"text\",\"text\":{\"body\":\"" + "x".repeat(4097) + "\"}}"))).isEqualTo(100);
        // caption on audio
        var audio = post(pn, head + "\"type\":\"audio\",\"audio\":{\"link\":\"https://example.com/a.mp3\",\"caption\":\"no\"}}");
        assertThat(errorCode(audio)).isEqualTo(131009);
        assertThat(json(audio).path("error").path("message").asString()).isEqualTo("(#131009) Parameter value is not valid");
        // media without id or link
        assertThat(errorCode(post(pn, head + "\"type\":\"image\",\"image\":{\"caption\":\"x\"}}"))).isEqualTo(131008);
        // more than 3 reply buttons
        StringBuilder buttons = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (i > 0) buttons.append(',');
            buttons.append("{\"type\":\"reply\",\"reply\":{\"id\":\"b").append(i).append("\",\"title\":\"B").append(i).append("\"}}");
        }
        var four = post(pn, head + "\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":\"pick\"},"
                + "\"action\":{\"buttons\":[" + buttons + "]}}}");
        assertThat(errorCode(four)).isEqualTo(131009);
        assertThat(json(four).path("error").path("error_data").path("details").asString()).contains("at most 3");
        // cta_url display_text over 20
        assertThat(errorCode(post(pn, head + "\"type\":\"interactive\",\"interactive\":{\"type\":\"cta_url\",\"body\":{\"text\":\"b\"},"
                + "\"action\":{\"name\":\"cta_url\",\"parameters\":{\"display_text\":\"" + "d".repeat(21)
                + "\",\"url\":\"https://x.example\"}}}}"))).isEqualTo(131009);
        // unknown type
        assertThat(errorCode(post(pn, head + "\"type\":\"hologram\",\"hologram\":{}}"))).isEqualTo(100);
        // location without longitude
        assertThat(errorCode(post(pn, head + "\"type\":\"location\",\"location\":{\"latitude\":1}}"))).isEqualTo(131008);
        // recipient is the sender
        assertThat(errorCode(post(pn, "{\"messaging_product\":\"whatsapp\",\"to\":\"" + biz.displayPhoneNumber()
                + "\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}"))).isEqualTo(131021);
        // nothing was accepted
        assertThat(emu.sent(biz.phoneNumberId())).isEmpty();
    }

    @Test
    void conformanceSendRequestsAreAccepted() throws Exception {
        start();
        emu.inbound(biz.phoneNumberId(), "121212121212", "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        emu.addTemplate(biz.wabaId(), "schedule_confirmation3", "pt_BR", "UTILITY", "[{\"type\":\"BODY\",\"text\":"
                + "\"Olá {{1}}, dia {{2}} às {{3}}h\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"SIM\"},"
                + "{\"type\":\"QUICK_REPLY\",\"text\":\"NÃO\"},{\"type\":\"QUICK_REPLY\",\"text\":\"REMARCAR\"}]}]", "APPROVED");
        List<String> rejected = new ArrayList<>();
        for (String f : List.of("send-text-request.json", "send-text-preview-url-request.json",
                "send-location-request.json", "send-contacts-request.json", "send-interactive-button-request.json",
                "send-reply-context-request.json", "send-template-request.json")) {
            // Postman samples carry a {{Recipient-Phone-Number}} placeholder
            String body = Files.readString(PAYLOADS.resolve(f)).replace("{{Recipient-Phone-Number}}", "121212121212");
            HttpResponse<String> r = post(biz.phoneNumberId() + "/messages", body);
            if (r.statusCode() != 200) rejected.add(f + " -> " + r.body());
        }
        assertThat(rejected).isEmpty();
        // these samples still hold Postman placeholders that Meta would refuse too
        var link = post(biz.phoneNumberId() + "/messages", Files.readString(PAYLOADS.resolve("send-image-by-link-request.json"))
                .replace("{{Recipient-Phone-Number}}", "121212121212"));
        assertThat(json(link).path("error").path("error_data").path("details").asString()).contains("image['link']");
        var list = post(biz.phoneNumberId() + "/messages", Files.readString(PAYLOADS.resolve("send-interactive-list-request.json"))
                .replace("{{Recipient-Phone-Number}}", "121212121212"));
        assertThat(json(list).path("error").path("error_data").path("details").asString()).contains("unique ids");
    }

    @Test
    void markAsReadChangesTheInboundMessage() throws Exception {
        start();
        String w1 = emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"a\"}}");
        String w2 = emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"b\"}}");
        assertThat(emu.inboundStatus(w2)).isEqualTo("received");
        var r = post(biz.phoneNumberId() + "/messages", "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\""
                + w2 + "\",\"typing_indicator\":{\"type\":\"text\"}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("success").asBoolean()).isTrue();
        assertThat(emu.inboundStatus(w2)).isEqualTo("read");
        assertThat(emu.inboundStatus(w1)).as("earlier messages are read too").isEqualTo("read");
        assertThat(errorCode(post(biz.phoneNumberId() + "/messages",
                "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"wamid.nope\"}"))).isEqualTo(100);
    }

    @Test
    void throughputAboveTheLimitAnswers130429() throws Exception {
        start(fastOptions().throughputPerSecond(5).build(), true);
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var r = post(biz.phoneNumberId() + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":\"1555000" + (1000 + i)
                    + "\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}");
            codes.add(r.statusCode() == 200 ? 200 : errorCode(r));
            if (r.statusCode() == 429) {
                assertThat(json(r).path("error").path("message").asString()).isEqualTo("(#130429) Rate limit hit");
            }
        }
        assertThat(codes).contains(130429);
        assertThat(codes.stream().filter(c -> c == 200).count()).isLessThanOrEqualTo(5);
    }

    @Test
    void pairRateLimitAnswers131056WhenEnabled() throws Exception {
        start(fastOptions().pairRateLimit(2).build(), true);
        String t = "{\"messaging_product\":\"whatsapp\",\"to\":\"%s\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}";
        assertThat(post(biz.phoneNumberId() + "/messages", String.format(t, CUSTOMER)).statusCode()).isEqualTo(200);
        assertThat(post(biz.phoneNumberId() + "/messages", String.format(t, CUSTOMER)).statusCode()).isEqualTo(200);
        var third = post(biz.phoneNumberId() + "/messages", String.format(t, CUSTOMER));
        assertThat(errorCode(third)).isEqualTo(131056);
        assertThat(post(biz.phoneNumberId() + "/messages", String.format(t, "15550009999")).statusCode())
                .as("another recipient is fine").isEqualTo(200);
    }

    @Test
    void inboundMediaIsDownloadable() throws Exception {
        start();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        String wamid = emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"image\",\"image\":{\"caption\":\"look\"}}",
                png, "image/png");
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredMessages().size() == 1);
        JsonNode img = deliveredMessages().get(0).path("image");
        assertThat(deliveredMessages().get(0).path("id").asString()).isEqualTo(wamid);
        assertThat(img.path("caption").asString()).isEqualTo("look");
        assertThat(img.path("mime_type").asString()).isEqualTo("image/png");
        assertThat(img.path("sha256").asString()).isEqualTo(java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(png)));
        JsonNode meta = json(get(img.path("id").asString()));
        var bytes = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(meta.path("url").asString()))
                .header("Authorization", "Bearer " + biz.accessToken()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).isEqualTo(png);
    }

    private static List<String> fieldNames(JsonNode n) {
        return new ArrayList<>(n.propertyNames());
    }
}
