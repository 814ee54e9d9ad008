package dev.parley.cloudapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * One test per real webhook sample in {@code conformance/payloads/} (see SOURCES.md there): each asserts the
 * file's specific content is reachable through the typed model.
 */
class ConformancePayloadsTest {

    private static final String DIR = "/conformance/payloads/";

    /** Every webhook sample that has its own test below; checked against the folder so new files get tests. */
    private static final Set<String> TESTED = Set.of(
            "inbound-text.json", "inbound-image.json", "inbound-video.json", "inbound-voice.json",
            "inbound-document.json", "inbound-sticker.json", "inbound-location.json", "inbound-contacts.json",
            "inbound-interactive-button-reply.json", "inbound-interactive-list-reply.json",
            "inbound-interactive-nfm-reply.json", "inbound-button-template-quick-reply.json",
            "inbound-reaction-escaped-emoji.json", "inbound-reaction.json", "inbound-reaction-removed.json",
            "inbound-order.json", "inbound-system-user-changed-number.json", "inbound-referral.json",
            "inbound-unsupported.json", "inbound-unknown-meta-postman.json", "inbound-reply-context.json",
            "inbound-forwarded.json", "inbound-value-errors.json",
            "status-sent.json", "status-delivered.json", "status-read.json", "status-played.json",
            "status-failed.json", "status-failed-media-upload.json",
            "template-status-approved.json", "template-status-rejected.json", "template-category-update.json",
            "account-update-restriction.json", "account-update-violation.json", "phone-number-quality-update.json");

    private final WebhookParser parser = new WebhookParser();

    // ---------------------------------------------------------------- whole folder

    @Test
    void everyWebhookSampleInTheFolderHasItsOwnTest() throws Exception {
        Set<String> webhookFiles = jsonFiles().stream().filter(ConformancePayloadsTest::isWebhookFile)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(webhookFiles).isEqualTo(new TreeSet<>(TESTED));
    }

    /**
     * Webhook samples parse; every other sample (send requests, Graph responses, errors) has no {@code entry}
     * and is rejected with a WebhookParseException that says so. No other outcome is acceptable.
     */
    @Test
    void everyJsonFileEitherParsesOrIsRejectedForLackingEntry() throws Exception {
        List<String> files = jsonFiles();
        assertThat(files).hasSizeGreaterThan(50);
        for (String file : files) {
            byte[] body = read(file);
            if (isWebhookFile(file)) {
                WebhookPayload payload = parser.parse(body);
                assertThat(payload.isWhatsAppBusinessAccount()).as(file).isTrue();
                assertThat(payload.entries()).as(file).hasSize(1);
                assertThat(payload.entries().get(0).changes()).as(file).hasSize(1);
                assertThat(payload.raw().get("entry").isArray()).as(file).isTrue();
            } else {
                assertThatThrownBy(() -> parser.parse(body)).as(file)
                        .isExactlyInstanceOf(WebhookParseException.class)
                        .hasMessageContaining("'entry'");
            }
        }
    }

    private static boolean isWebhookFile(String name) {
        return name.startsWith("inbound-") || name.startsWith("status-") || name.startsWith("template-status-")
                || name.equals("template-category-update.json") || name.startsWith("account-update-")
                || name.equals("phone-number-quality-update.json");
    }

    // ---------------------------------------------------------------- inbound messages

    @Test
    void text() {
        MessageEvent event = singleMessage("inbound-text.json");
        assertThat(event.wabaId()).isEqualTo("1234567890987654321");
        assertThat(event.phoneNumberId()).isEqualTo("1122334455667");
        assertThat(event.displayPhoneNumber()).isEqualTo("972123456789");
        assertThat(event.profileName()).isEqualTo("Test Name");
        assertThat(event.contact().waId()).isEqualTo("972987654321");
        assertThat(event.contact().userId()).isEqualTo("US.13491208655302741918");
        assertThat(event.contact().parentUserId()).isEqualTo("US.ENT.11815799212886844830");
        InboundMessage m = event.message();
        assertThat(m.from()).isEqualTo("972987654321");
        assertThat(m.id()).isEqualTo("wamid.xyzxyz");
        assertThat(m.rawTimestamp()).isEqualTo("1697043223");
        assertThat(m.timestamp()).isEqualTo(Instant.ofEpochSecond(1697043223L));
        assertThat(m.type()).isEqualTo("text");
        assertThat(m.kind()).isEqualTo(MessageType.TEXT);
        assertThat(m.context()).isNull();
        assertThat(m.referral()).isNull();
        assertThat(m.errors()).isEmpty();
        assertThat(m.content(MessageContent.Text.class)).get().extracting(MessageContent.Text::body)
                .isEqualTo("Body Text");
        assertThat(m.raw().get("text").get("body").asString()).isEqualTo("Body Text");
    }

    @Test
    void image() {
        InboundMessage m = singleMessage("inbound-image.json").message();
        MessageContent.Image image = (MessageContent.Image) m.content();
        assertThat(image.id()).isEqualTo("8472976218001204");
        assertThat(image.mimeType()).isEqualTo("image/jpeg");
        assertThat(image.sha256()).isEqualTo("ciJuSxU7RLnnFz3cNcasdL7UQKt9e1yj/3u+Rhsabv0=");
        assertThat(image.caption()).isNull();
        assertThat(image.url()).isNull();
        assertThat(m.content()).isInstanceOf(MessageContent.Media.class);
    }

    @Test
    void videoWithCaptionAndForwardedContext() {
        InboundMessage m = singleMessage("inbound-video.json").message();
        MessageContent.Video video = (MessageContent.Video) m.content();
        assertThat(video.id()).isEqualTo("765756756");
        assertThat(video.mimeType()).isEqualTo("video/mp4");
        assertThat(video.caption()).isEqualTo("caption");
        assertThat(video.sha256()).isEqualTo("Jh+2ij6PzUv/J2y+grrtegr/ZMzRxkEPwc24Oyib4s03w9Jc=");
        assertThat(m.context().forwarded()).isTrue();
        assertThat(m.context().isForwarded()).isTrue();
        assertThat(m.context().id()).isNull();
    }

    @Test
    void voiceNote() {
        InboundMessage m = singleMessage("inbound-voice.json").message();
        assertThat(m.kind()).isEqualTo(MessageType.AUDIO);
        MessageContent.Audio audio = (MessageContent.Audio) m.content();
        assertThat(audio.isVoice()).isTrue();
        assertThat(audio.voice()).isTrue();
        assertThat(audio.mimeType()).isEqualTo("audio/ogg; codecs=opus");
        assertThat(audio.id()).isEqualTo("827776106019109");
    }

    @Test
    void document() {
        MessageContent.Document doc = (MessageContent.Document) singleMessage("inbound-document.json").message()
                .content();
        assertThat(doc.filename()).isEqualTo("4_641947.pdf");
        assertThat(doc.mimeType()).isEqualTo("application/pdf");
        assertThat(doc.id()).isEqualTo("848704520347750");
        assertThat(doc.sha256()).isEqualTo("mu/J5jGsroQM3Tbn4c6StBJG4C4glbTi8gT4jhRHSt0=");
    }

    @Test
    void sticker() {
        MessageContent.Sticker sticker = (MessageContent.Sticker) singleMessage("inbound-sticker.json").message()
                .content();
        assertThat(sticker.animated()).isFalse();
        assertThat(sticker.mimeType()).isEqualTo("image/webp");
        assertThat(sticker.id()).isEqualTo("1604825680670873");
    }

    @Test
    void locationWithEscapedSlashesInUrl() {
        MessageContent.Location location = (MessageContent.Location) singleMessage("inbound-location.json")
                .message().content();
        assertThat(location.latitude()).isEqualTo(-10.93941311633);
        assertThat(location.longitude()).isEqualTo(-10.606395436721);
        assertThat(location.url()).isEqualTo("https://foursquare.com/v/5c42c5667d8497002c6e09f9");
        // This sample has no name/address; they are absent, not empty.
        assertThat(location.name()).isNull();
        assertThat(location.address()).isNull();
    }

    @Test
    void contacts() {
        MessageEvent event = singleMessage("inbound-contacts.json");
        MessageContent.Contacts contacts = (MessageContent.Contacts) event.message().content();
        assertThat(contacts.cards()).hasSize(1);
        ContactCard card = contacts.cards().get(0);
        assertThat(card.name().formattedName()).isEqualTo("Person Ok");
        assertThat(card.name().firstName()).isEqualTo("Person");
        assertThat(card.name().lastName()).isEqualTo("Ok");
        assertThat(card.phones()).singleElement().satisfies(phone -> {
            assertThat(phone.phone()).isEqualTo("+55 11 11111-1111");
            assertThat(phone.waId()).isEqualTo("5511111111111");
            assertThat(phone.type()).isEqualTo("CELL");
        });
        assertThat(card.emails()).isEmpty();
        assertThat(card.org()).isNull();
        assertThat(contacts.raw().isArray()).isTrue();
        // The sender's own contact (value.contacts) is separate from the shared card.
        assertThat(event.profileName()).isEqualTo("Mauricio Binda");
    }

    @Test
    void interactiveButtonReply() {
        InboundMessage m = singleMessage("inbound-interactive-button-reply.json").message();
        MessageContent.Interactive interactive = (MessageContent.Interactive) m.content();
        assertThat(interactive.type()).isEqualTo("button_reply");
        InteractiveReply.ButtonReply reply = (InteractiveReply.ButtonReply) interactive.reply();
        assertThat(reply.id()).isEqualTo("callback_data");
        assertThat(reply.title()).isEqualTo("title");
        assertThat(m.context().from()).isEqualTo("1122334455667");
        assertThat(m.context().id()).isEqualTo("wamid.xyzxyz");
    }

    @Test
    void interactiveListReply() {
        MessageContent.Interactive interactive = (MessageContent.Interactive)
                singleMessage("inbound-interactive-list-reply.json").message().content();
        InteractiveReply.ListReply reply = (InteractiveReply.ListReply) interactive.reply();
        assertThat(reply.id()).isEqualTo("callback_data");
        assertThat(reply.title()).isEqualTo("title");
        assertThat(reply.description()).isEqualTo("description");
    }

    @Test
    void interactiveFlowReplyKeepsResponseJsonAsStringAndParsed() {
        MessageContent.Interactive interactive = (MessageContent.Interactive)
                singleMessage("inbound-interactive-nfm-reply.json").message().content();
        InteractiveReply.NfmReply reply = (InteractiveReply.NfmReply) interactive.reply();
        assertThat(reply.responseJson()).startsWith("{\"comment_text\":\"Comment Text\",");
        assertThat(reply.response().get("flow_token").asString()).isEqualTo("AQAAAAACS5FpgQ_cAAAAAD0QI3s.");
        assertThat(reply.response().get("delivery_rating").asString()).isEqualTo("4");
        assertThat(reply.body()).isEqualTo("Sent");
        assertThat(reply.name()).isEqualTo("flow");
    }

    @Test
    void templateQuickReplyButton() {
        InboundMessage m = singleMessage("inbound-button-template-quick-reply.json").message();
        MessageContent.Button button = (MessageContent.Button) m.content();
        assertThat(button.payload()).isEqualTo("SIM");
        assertThat(button.text()).isEqualTo("SIM");
        assertThat(m.context().from()).isEqualTo("43330585569");
        assertThat(m.context().id()).isEqualTo("wamid.nBgN6TUyN2k5NzAzM5kzNhUCABI8FDNFQjAxQkE5REI4NEUzQ5Y5QTNgAA==");
    }

    @Test
    void reactionWithEscapedSurrogatePairEmoji() {
        MessageContent.Reaction reaction = (MessageContent.Reaction)
                singleMessage("inbound-reaction-escaped-emoji.json").message().content();
        assertThat(reaction.emoji()).isEqualTo("😮");
        assertThat(reaction.messageId()).isEqualTo("wamid.yzxyzx=");
        assertThat(reaction.isRemoval()).isFalse();
    }

    @Test
    void reactionWithRawUtf8Emoji() {
        MessageContent.Reaction reaction = (MessageContent.Reaction) singleMessage("inbound-reaction.json")
                .message().content();
        assertThat(reaction.emoji()).isEqualTo("👍");
        assertThat(reaction.isRemoval()).isFalse();
    }

    @Test
    void reactionRemoved() {
        MessageContent.Reaction reaction = (MessageContent.Reaction) singleMessage("inbound-reaction-removed.json")
                .message().content();
        assertThat(reaction.emoji()).isEmpty();
        assertThat(reaction.isRemoval()).isTrue();
        assertThat(reaction.messageId()).isEqualTo("wamid.yzxyzx=");
    }

    @Test
    void order() {
        MessageContent.Order order = (MessageContent.Order) singleMessage("inbound-order.json").message().content();
        assertThat(order.catalogId()).isEqualTo("354160437058781");
        assertThat(order.text()).isEmpty();
        assertThat(order.productItems()).extracting(MessageContent.ProductItem::productRetailerId)
                .containsExactly("HAMBURGER", "FRENCH_FRIES", "SODA");
        MessageContent.ProductItem first = order.productItems().get(0);
        assertThat(first.quantity()).isEqualTo(3L);
        assertThat(first.itemPrice()).isEqualByComparingTo(new BigDecimal("30"));
        assertThat(first.currency()).isEqualTo("ILS");
    }

    @Test
    void systemUserChangedNumber() {
        MessageEvent event = singleMessage("inbound-system-user-changed-number.json");
        MessageContent.SystemNotice system = (MessageContent.SystemNotice) event.message().content();
        assertThat(system.type()).isEqualTo("user_changed_number");
        assertThat(system.body()).isEqualTo("User A changed from 972987654321 to 972912345678");
        assertThat(system.changedWaId()).isEqualTo("972912345678");
        assertThat(event.message().from()).isEqualTo("972987654321");
        // This sample has no value.contacts.
        assertThat(event.contact()).isNull();
    }

    @Test
    void referralFromClickToWhatsAppAd() {
        InboundMessage m = singleMessage("inbound-referral.json").message();
        assertThat(((MessageContent.Text) m.content()).body()).isEqualTo("BODY");
        Referral r = m.referral();
        assertThat(r.sourceUrl()).isEqualTo("AD_OR_POST_FB_URL");
        assertThat(r.sourceId()).isEqualTo("ADID");
        assertThat(r.sourceType()).isEqualTo("ad or post");
        assertThat(r.headline()).isEqualTo("AD_TITLE");
        assertThat(r.body()).isEqualTo("AD_DESCRIPTION");
        assertThat(r.mediaType()).isEqualTo("image or video");
        assertThat(r.imageUrl()).isEqualTo("RAW_IMAGE_URL");
        assertThat(r.videoUrl()).isEqualTo("RAW_VIDEO_URL");
        assertThat(r.thumbnailUrl()).isEqualTo("RAW_THUMBNAIL_URL");
        assertThat(r.ctwaClid()).isEqualTo("CTWA_CLID");
    }

    @Test
    void unsupported() {
        InboundMessage m = singleMessage("inbound-unsupported.json").message();
        assertThat(m.kind()).isEqualTo(MessageType.UNSUPPORTED);
        assertThat(m.type()).isEqualTo("unsupported");
        assertThat(m.content()).isInstanceOf(MessageContent.Unsupported.class);
        assertThat(m.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(131051);
            assertThat(e.title()).isEqualTo("Message type unknown");
            assertThat(e.message()).isEqualTo("Message type unknown");
            assertThat(e.details()).isEqualTo("Message type is currently not supported.");
        });
    }

    @Test
    void unsupportedIn2022ShapeWithTypeUnknown() {
        MessageEvent event = singleMessage("inbound-unknown-meta-postman.json");
        InboundMessage m = event.message();
        assertThat(m.type()).isEqualTo("unknown");
        assertThat(m.kind()).isEqualTo(MessageType.UNSUPPORTED);
        assertThat(m.content()).isInstanceOf(MessageContent.Unsupported.class);
        assertThat(m.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(130501);
            assertThat(e.title()).isEqualTo("Unsupported message type");
            // 2022 shape: details at the top level of the error, not under error_data.
            assertThat(e.details()).isEqualTo("Message type is not currently supported");
        });
        assertThat(event.profileName()).isEqualTo("Kerry Fisher");
        assertThat(m.timestamp()).isEqualTo(Instant.ofEpochSecond(1602139392L));
    }

    @Test
    void replyContext() {
        InboundMessage m = singleMessage("inbound-reply-context.json").message();
        assertThat(((MessageContent.Text) m.content()).body()).isEqualTo("replied text");
        assertThat(m.context().from()).isEqualTo("972123456789");
        assertThat(m.context().id()).isEqualTo("wamid.xyzxyz==");
        assertThat(m.context().isForwarded()).isFalse();
    }

    @Test
    void forwarded() {
        InboundMessage m = singleMessage("inbound-forwarded.json").message();
        assertThat(((MessageContent.Text) m.content()).body()).isEqualTo("forwarded text");
        assertThat(m.context().forwarded()).isTrue();
        assertThat(m.context().frequentlyForwarded()).isNull();
    }

    @Test
    void valueLevelErrorsNextToAMessageWithoutBody() {
        WebhookPayload payload = parse("inbound-value-errors.json");
        assertThat(payload.errorEvents()).singleElement().satisfies(e -> {
            assertThat(e.phoneNumberId()).isEqualTo("1122334455667");
            assertThat(e.error().code()).isEqualTo(131000);
            assertThat(e.error().title()).isEqualTo("Something went wrong");
            assertThat(e.error().details()).isEqualTo("Unsupported webhook payload");
        });
        InboundMessage m = payload.messageEvents().get(0).message();
        assertThat(m.kind()).isEqualTo(MessageType.INTERACTIVE);
        MessageContent.Interactive interactive = (MessageContent.Interactive) m.content();
        assertThat(interactive.type()).isNull();
        assertThat(interactive.reply()).isInstanceOf(InteractiveReply.Unknown.class);
        assertThat(interactive.raw().isMissingNode()).isTrue();
        assertThat(m.id()).isEqualTo("wamid.wegrchytvwcggt=");
    }

    // ---------------------------------------------------------------- statuses

    @Test
    void statusSent() {
        StatusEvent event = singleStatus("status-sent.json");
        assertThat(event.wabaId()).isEqualTo("880480571844883");
        assertThat(event.phoneNumberId()).isEqualTo("409552778964973");
        MessageStatus s = event.status();
        assertThat(s.status()).isEqualTo(StatusType.SENT);
        assertThat(s.rawStatus()).isEqualTo("sent");
        assertThat(s.id()).isEqualTo("wamid.nBgN6TUyN2k5NzAzM5kzNhUCABI8FDNFQjAxQkE5REI4NEUzQ5Y5QTNgAA==");
        assertThat(s.timestamp()).isEqualTo(Instant.ofEpochSecond(1673020317L));
        assertThat(s.recipientId()).isEqualTo("1111111111111");
        assertThat(s.conversation().id()).isEqualTo("8eb644d2350611f3746e7f0985bddfc1");
        assertThat(s.conversation().expirationTimestamp()).isEqualTo(Instant.ofEpochSecond(1673031000L));
        assertThat(s.conversation().originType()).isEqualTo("business_initiated");
        assertThat(s.pricing().billable()).isTrue();
        assertThat(s.pricing().pricingModel()).isEqualTo("CBP");
        assertThat(s.pricing().category()).isEqualTo("business_initiated");
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void statusDelivered() {
        MessageStatus s = singleStatus("status-delivered.json").status();
        assertThat(s.status()).isEqualTo(StatusType.DELIVERED);
        assertThat(s.conversation().expirationTimestamp()).isNull();
        assertThat(s.pricing().pricingModel()).isEqualTo("CBP");
    }

    @Test
    void statusRead() {
        MessageStatus s = singleStatus("status-read.json").status();
        assertThat(s.status()).isEqualTo(StatusType.READ);
        assertThat(s.recipientId()).isEqualTo("972987654321");
        assertThat(s.conversation().originType()).isEqualTo("service");
        assertThat(s.pricing().category()).isEqualTo("service");
    }

    @Test
    void statusPlayed() {
        WebhookPayload payload = parse("status-played.json");
        MessageStatus s = payload.statusEvents().get(0).status();
        assertThat(s.status()).isEqualTo(StatusType.PLAYED);
        assertThat(s.timestamp()).isEqualTo(Instant.ofEpochSecond(1689380458L));
        assertThat(payload.messageEvents()).isEmpty();
    }

    @Test
    void statusFailed() {
        MessageStatus s = singleStatus("status-failed.json").status();
        assertThat(s.status()).isEqualTo(StatusType.FAILED);
        assertThat(s.conversation()).isNull();
        assertThat(s.pricing()).isNull();
        assertThat(s.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(131047);
            assertThat(e.title()).isEqualTo("Re-engagement message");
            assertThat(e.details()).isEqualTo("Message failed to send because more than 24 hours have passed since"
                    + " the customer last replied to this number.");
            assertThat(e.href()).isEqualTo("https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/");
        });
    }

    @Test
    void statusFailedMediaUploadWithEscapedSlashesInDetails() {
        MessageStatus s = singleStatus("status-failed-media-upload.json").status();
        assertThat(s.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(131053);
            assertThat(e.details())
                    .isEqualTo("Unsupported Video mime type text/html. Please use one of video/3gpp, video/mp4.");
        });
    }

    // ---------------------------------------------------------------- other fields

    @Test
    void templateStatusApproved() {
        WebhookPayload payload = parse("template-status-approved.json");
        WebhookEntry entry = payload.entries().get(0);
        assertThat(entry.id()).isEqualTo("102290129340398");
        assertThat(entry.time()).isEqualTo(Instant.ofEpochSecond(1751247548L));
        WebhookChange change = entry.changes().get(0);
        assertThat(change.field()).isEqualTo("message_template_status_update");
        TemplateStatusUpdate update = (TemplateStatusUpdate) change.value();
        assertThat(update.eventType()).isEqualTo(TemplateStatusEvent.APPROVED);
        assertThat(update.templateId()).isEqualTo("1689556908129832");
        assertThat(update.templateName()).isEqualTo("order_confirmation");
        assertThat(update.language()).isEqualTo("en_US");
        assertThat(update.reason()).isEqualTo("NONE");
        assertThat(update.category()).isEqualTo("UTILITY");
        assertThat(payload.messageEvents()).isEmpty();
        assertThat(payload.phoneNumberIds()).isEmpty();
        assertThat(payload.changeEvents()).singleElement().satisfies(c -> {
            assertThat(c.wabaId()).isEqualTo("102290129340398");
            assertThat(c.value()).isSameAs(update);
        });
    }

    @Test
    void templateStatusRejected() {
        TemplateStatusUpdate update = (TemplateStatusUpdate) singleValue("template-status-rejected.json");
        assertThat(update.event()).isEqualTo("REJECTED");
        assertThat(update.eventType()).isEqualTo(TemplateStatusEvent.REJECTED);
        assertThat(update.reason()).isEqualTo("SCAM");
        assertThat(update.templateId()).isEqualTo("905507062668800");
        assertThat(update.templateName()).isEqualTo("schedule_confirmation4");
        assertThat(update.language()).isEqualTo("pt_BR");
        assertThat(update.category()).isNull();
    }

    @Test
    void templateCategoryUpdate() {
        TemplateCategoryUpdate update = (TemplateCategoryUpdate) singleValue("template-category-update.json");
        assertThat(update.templateId()).isEqualTo("12345678");
        assertThat(update.templateName()).isEqualTo("my_message_template");
        assertThat(update.language()).isEqualTo("he");
        assertThat(update.newCategory()).isEqualTo("MARKETING");
        assertThat(update.previousCategory()).isNull();
    }

    @Test
    void accountUpdateRestriction() {
        WebhookPayload payload = parse("account-update-restriction.json");
        assertThat(payload.entries().get(0).id()).isEqualTo("whatsapp-business-account-id");
        assertThat(payload.entries().get(0).time()).isEqualTo(Instant.ofEpochSecond(1604703141L));
        AccountUpdate update = (AccountUpdate) payload.entries().get(0).changes().get(0).value();
        assertThat(update.event()).isEqualTo("ACCOUNT_RESTRICTION");
        assertThat(update.phoneNumber()).isEqualTo("<PHONE_NUMBER>");
        assertThat(update.restrictionInfo()).extracting(AccountUpdate.Restriction::restrictionType).containsExactly(
                "RESTRICTED_ADD_PHONE_NUMBER_ACTION", "RESTRICTED_BIZ_INITIATED_MESSAGING",
                "RESTRICTED_CUSTOMER_INITIATED_MESSAGING");
        assertThat(update.restrictionInfo().get(0).expiration()).isEqualTo("<TIMESTAMP>");
    }

    @Test
    void accountUpdateViolation() {
        AccountUpdate update = (AccountUpdate) singleValue("account-update-violation.json");
        assertThat(update.event()).isEqualTo("ACCOUNT_VIOLATION");
        assertThat(update.violationInfo().violationType()).isEqualTo("ADULT");
        assertThat(update.restrictionInfo()).isEmpty();
    }

    @Test
    void phoneNumberQualityUpdate() {
        PhoneNumberQualityUpdate update = (PhoneNumberQualityUpdate) singleValue("phone-number-quality-update.json");
        assertThat(update.displayPhoneNumber()).isEqualTo("16505551111");
        assertThat(update.event()).isEqualTo("FLAGGED");
        assertThat(update.currentLimit()).isEqualTo("TIER_10K");
    }

    // ---------------------------------------------------------------- helpers

    private WebhookPayload parse(String file) {
        return parser.parse(read(file));
    }

    private MessageEvent singleMessage(String file) {
        WebhookPayload payload = parse(file);
        assertThat(payload.messageEvents()).as(file).hasSize(1);
        assertThat(payload.statusEvents()).as(file).isEmpty();
        return payload.messageEvents().get(0);
    }

    private StatusEvent singleStatus(String file) {
        WebhookPayload payload = parse(file);
        assertThat(payload.statusEvents()).as(file).hasSize(1);
        assertThat(payload.messageEvents()).as(file).isEmpty();
        return payload.statusEvents().get(0);
    }

    private ChangeValue singleValue(String file) {
        WebhookPayload payload = parse(file);
        assertThat(payload.entries()).hasSize(1);
        assertThat(payload.entries().get(0).changes()).hasSize(1);
        return payload.entries().get(0).changes().get(0).value();
    }

    static byte[] read(String file) {
        try (InputStream in = ConformancePayloadsTest.class.getResourceAsStream(DIR + file)) {
            assertThat(in).as("classpath resource %s%s", DIR, file).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> jsonFiles() throws IOException, URISyntaxException {
        URL url = ConformancePayloadsTest.class.getResource(DIR);
        assertThat(url).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
                    .collect(Collectors.toList());
        }
    }
}
