package dev.parley.cloudapi.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.parley.cloudapi.outbound.MediaSource;
import dev.parley.cloudapi.outbound.OutboundContact;
import dev.parley.cloudapi.outbound.OutboundMessage;
import dev.parley.cloudapi.outbound.OutboundMessage.Row;
import dev.parley.cloudapi.outbound.TemplateParameter;
import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.Seed;
import dev.parley.emulator.SeededBusiness;
import dev.parley.emulator.SentMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every message type, built with the builders, is accepted by the emulator and arrives as built. */
class SendMessagesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CUSTOMER = "15551234567";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
    static CloudApiEmulator emu;
    static SeededBusiness biz;
    static GraphClient graph;

    @BeforeAll
    static void start() {
        emu = CloudApiEmulator.start();
        biz = emu.seedAtStartup(Seed.defaults());
        graph = GraphClient.builder().baseUrl(emu.baseUrl()).accessToken(biz.accessToken()).build();
        emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    /** Sends, then returns the body the emulator received. */
    private static JsonNode sendAndReceive(OutboundMessage message) {
        SendResult r = graph.send(biz.phoneNumberId(), message);
        assertThat(r.messageId()).startsWith("wamid.");
        assertThat(r.waId()).isEqualTo(message.to().replaceAll("\\D", ""));
        SentMessage sent = emu.sent(biz.phoneNumberId()).stream().filter(m -> m.wamid().equals(r.messageId()))
                .findFirst().orElseThrow();
        assertThat(sent.type()).isEqualTo(message.type());
        JsonNode received = JSON.readTree(sent.requestBody());
        assertThat(received).isEqualTo(message.toJson());
        return received;
    }

    private static String upload(String mime, byte[] bytes, String filename) {
        return graph.uploadMedia(biz.phoneNumberId(), bytes, mime, filename);
    }

    @Test
    void text() {
        JsonNode body = sendAndReceive(OutboundMessage.text(CUSTOMER, "Hello *world*").build());

        assertThat(body.get("text").get("body").asString()).isEqualTo("Hello *world*");
        assertThat(body.get("recipient_type").asString()).isEqualTo("individual");
    }

    @Test
    void textWithPreviewUrlToAFormattedNumber() {
        JsonNode body = sendAndReceive(OutboundMessage.text("+1 (555) 123-4567",
                "Please visit https://example.com/").previewUrl(true).build());

        assertThat(body.get("text").get("preview_url").asBoolean()).isTrue();
    }

    @Test
    void replyThroughContext() {
        String inbound = emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana",
                "{\"type\":\"text\",\"text\":{\"body\":\"where is my order?\"}}");

        JsonNode body = sendAndReceive(OutboundMessage.text(CUSTOMER, "On its way").replyTo(inbound)
                .bizOpaqueCallbackData("ticket-42").build());

        assertThat(body.get("context").get("message_id").asString()).isEqualTo(inbound);
        assertThat(body.get("biz_opaque_callback_data").asString()).isEqualTo("ticket-42");
    }

    @Test
    void imageByIdAndByLink() {
        String id = upload("image/png", PNG, "receipt.png");

        sendAndReceive(OutboundMessage.image(CUSTOMER, MediaSource.id(id)).caption("Your receipt").build());
        JsonNode byLink = sendAndReceive(OutboundMessage.image(CUSTOMER,
                MediaSource.link("https://example.com/cat.png?v=2")).build());

        assertThat(byLink.get("image").get("link").asString()).isEqualTo("https://example.com/cat.png?v=2");
    }

    @Test
    void videoAudioDocumentAndSticker() {
        String video = upload("video/mp4", new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'}, "clip.mp4");
        String audio = upload("audio/ogg", "OggS-audio".getBytes(StandardCharsets.US_ASCII), "voice.ogg");
        String pdf = upload("application/pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII), "invoice.pdf");
        String sticker = upload("image/webp", "RIFF----WEBP".getBytes(StandardCharsets.US_ASCII), "s.webp");

        sendAndReceive(OutboundMessage.video(CUSTOMER, MediaSource.id(video)).caption("Unboxing").build());
        sendAndReceive(OutboundMessage.audio(CUSTOMER, MediaSource.id(audio)).build());
        JsonNode doc = sendAndReceive(OutboundMessage.document(CUSTOMER, MediaSource.id(pdf)).caption("Invoice")
                .filename("invoice-1234.pdf").build());
        sendAndReceive(OutboundMessage.sticker(CUSTOMER, MediaSource.id(sticker)).build());
        sendAndReceive(OutboundMessage.document(CUSTOMER, MediaSource.link("https://example.com/terms.pdf")).build());

        assertThat(doc.get("document").get("filename").asString()).isEqualTo("invoice-1234.pdf");
    }

    @Test
    void location() {
        JsonNode body = sendAndReceive(OutboundMessage.location(CUSTOMER, 39.284064, -84.265742)
                .name("Loveland Castle Museum").address("12025 Shore Dr, Loveland, OH 45140").build());

        assertThat(body.get("location").get("latitude").asDouble()).isEqualTo(39.284064);
    }

    @Test
    void contacts() {
        OutboundContact card = OutboundContact.builder("Mauricio Binda").name("Mauricio", null)
                .phone("121212121212", "IPHONE", null).email("mauriciobinda@hotmail.com", "HOME")
                .url("https://www.google.com", "WORK").org("My company", "IT", "Org title")
                .address("47 W 13th St", "New York", "NY", "10011", "United States", "US", "WORK")
                .birthday("1900-01-01").build();

        JsonNode body = sendAndReceive(OutboundMessage.contacts("121212121212", card).build());

        // exactly Meta's own example (send-contacts-request.json)
        assertThat(body).isEqualTo(Fixtures.read("send-contacts-request.json"));
    }

    @Test
    void interactiveButtons() {
        JsonNode body = sendAndReceive(OutboundMessage.buttons(CUSTOMER, "Are you hungry?")
                .button("unique-id-123", "Yes").button("unique-id-456", "No").build());

        JsonNode meta = Fixtures.read("send-interactive-button-request.json");
        assertThat(body.get("interactive")).isEqualTo(meta.get("interactive"));
    }

    @Test
    void interactiveButtonsWithMediaHeaderAndFooter() {
        String id = upload("image/png", PNG, "menu.png");

        JsonNode body = sendAndReceive(OutboundMessage.buttons(CUSTOMER, "Today's menu").headerImage(MediaSource.id(id))
                .footer("Reply to order").button("pizza", "Pizza").button("salad", "Salad").button("soup", "Soup")
                .build());

        assertThat(body.get("interactive").get("header").get("image").get("id").asString()).isEqualTo(id);
    }

    @Test
    void interactiveList() {
        JsonNode body = sendAndReceive(OutboundMessage.list(CUSTOMER, "Choose a slot", "Slots")
                .header("Appointments").footer("Times are local")
                .section("Morning", Row.of("m9", "09:00"), Row.of("m10", "10:00", "With Dr. Silva"))
                .section("Afternoon", Row.of("a14", "14:00"))
                .build());

        assertThat(body.get("interactive").get("action").get("sections")).hasSize(2);
    }

    @Test
    void interactiveCtaUrl() {
        JsonNode body = sendAndReceive(OutboundMessage.ctaUrl(CUSTOMER, "Track your parcel", "Track",
                "https://example.com/track/1234").header("Parcel 1234").footer("Acme").build());

        assertThat(body.get("interactive").get("action").get("name").asString()).isEqualTo("cta_url");
    }

    @Test
    void reactionAndItsRemoval() {
        String inbound = emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana",
                "{\"type\":\"text\",\"text\":{\"body\":\"thanks!\"}}");

        JsonNode add = sendAndReceive(OutboundMessage.reaction(CUSTOMER, inbound, "\uD83D\uDC4D").build());
        JsonNode remove = sendAndReceive(OutboundMessage.removeReaction(CUSTOMER, inbound).build());

        assertThat(add.get("reaction").get("emoji").asString()).isEqualTo("\uD83D\uDC4D");
        assertThat(remove.get("reaction").get("emoji").asString()).isEmpty();
    }

    @Test
    void templateWithHeaderBodyAndButtonComponents() {
        emu.addTemplate(biz.wabaId(), "order_shipped", "en_US", "UTILITY", """
                [{"type":"HEADER","format":"IMAGE"},
                 {"type":"BODY","text":"Hi {{1}}, order {{2}} ships on {{3}} for {{4}}."},
                 {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Stop"},
                   {"type":"URL","text":"Track","url":"https://example.com/t/{{1}}"},
                   {"type":"COPY_CODE","example":"SAVE10"}]}]""", "APPROVED");
        String image = upload("image/png", PNG, "header.png");

        SendResult r = graph.send(biz.phoneNumberId(), OutboundMessage.template(CUSTOMER, "order_shipped", "en_US")
                .header(TemplateParameter.image(MediaSource.id(image)))
                .body(TemplateParameter.text("Ana"), TemplateParameter.text("#1234"),
                        TemplateParameter.dateTime("May 10th, 2026"), TemplateParameter.currency("$35", "USD", 35000))
                .quickReplyButton(0, "STOP_1234").urlButton(1, "1234").copyCodeButton(2, "SAVE10")
                .build());

        assertThat(r.messageId()).startsWith("wamid.");
        assertThat(r.messageStatus()).isEqualTo("accepted");
    }

    @Test
    void buildersProduceMetasOwnExamples() {
        assertThat(OutboundMessage.text("121212121212", "*Hello world!*\nSome code here: \n```hello world code here```")
                .previewUrl(false).build().toJson()).isEqualTo(Fixtures.read("send-text-request.json"));
        assertThat(OutboundMessage.template("121212121212", "new_classes_pdf", "en_US")
                .header(TemplateParameter.document(MediaSource.id("928860901494862"), "Class.pdf"))
                .body(TemplateParameter.text("Mauricio Binda"))
                .urlButton(0, "career-academy/?trk_ref=globalnav").build().toJson())
                .isEqualTo(Fixtures.read("send-template-document-url-button-request.json"));
        assertThat(OutboundMessage.template("121212121212", "schedule_confirmation3", "pt_BR")
                .body(TemplateParameter.text("Mauricio"), TemplateParameter.text("04/11/2022"),
                        TemplateParameter.text("14:30"))
                .quickReplyButton(0, "OP_YES_48547").quickReplyButton(1, "OP_NO_48548").quickReplyButton(2, "OP_CH_48549")
                .build().toJson()).isEqualTo(Fixtures.read("send-template-request.json"));
    }

    @Test
    void sendJsonPassesMetasOwnBodyThrough() {
        JsonNode body = Fixtures.read("send-location-request.json");
        ((tools.jackson.databind.node.ObjectNode) body).put("to", CUSTOMER);

        SendResult r = graph.sendJson(biz.phoneNumberId(), body);

        assertThat(r.input()).isEqualTo(CUSTOMER);
        List<SentMessage> sent = emu.sent(biz.phoneNumberId());
        assertThat(JSON.readTree(sent.get(sent.size() - 1).requestBody())).isEqualTo(body);
    }

    @Test
    void markReadWithAndWithoutTheTypingIndicator() {
        String first = emu.inbound(biz.phoneNumberId(), "15550007001", "Bo", "{\"type\":\"text\",\"text\":{\"body\":\"a\"}}");
        String second = emu.inbound(biz.phoneNumberId(), "15550007002", "Cy", "{\"type\":\"text\",\"text\":{\"body\":\"b\"}}");

        graph.markRead(biz.phoneNumberId(), first, false);
        graph.markRead(biz.phoneNumberId(), second, true);

        assertThat(emu.inboundStatus(first)).isEqualTo("read");
        assertThat(emu.inboundStatus(second)).isEqualTo("read");
    }
}
