package dev.parley.cloudapi.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.parley.cloudapi.outbound.OutboundMessage.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The builders refuse what Meta would refuse, before anything is sent, naming the rule. */
class OutboundBuildersTest {

    static final String TO = "15551234567";

    private static InvalidMessageException refused(ThrowingBuild build) {
        try {
            build.run();
        } catch (InvalidMessageException e) {
            return e;
        }
        throw new AssertionError("expected the builder to refuse the message");
    }

    interface ThrowingBuild {
        void run();
    }

    @Test
    void moreThanThreeReplyButtons() {
        InvalidMessageException e = refused(() -> OutboundMessage.buttons(TO, "Pick one").button("a", "A")
                .button("b", "B").button("c", "C").button("d", "D").build());

        assertThat(e.rules()).containsExactly("interactive.buttons.max");
        assertThat(e.getMessage()).contains("at most 3 reply buttons, got 4");
    }

    @Test
    void aButtonTitleOverTwentyCharacters() {
        InvalidMessageException e = refused(() -> OutboundMessage.buttons(TO, "Pick")
                .button("a", "This title is far too long").build());

        assertThat(e.rules()).containsExactly("interactive.button.title.max_length");
        assertThat(e.getMessage()).contains("at most 20 characters, got 26");
    }

    @Test
    void duplicateButtonIdsAndNoButtons() {
        assertThat(refused(() -> OutboundMessage.buttons(TO, "Pick").button("a", "A").button("a", "B").build()).rules())
                .containsExactly("interactive.button.id.duplicate");
        assertThat(refused(() -> OutboundMessage.buttons(TO, "Pick").build()).rules())
                .containsExactly("interactive.buttons.required");
    }

    @Test
    void listLimits() {
        Row[] eleven = new Row[11];
        for (int i = 0; i < 11; i++) eleven[i] = Row.of("r" + i, "Row " + i);
        assertThat(refused(() -> OutboundMessage.list(TO, "Choose", "Open").section("All", eleven).build()).rules())
                .containsExactly("interactive.list.rows.max");

        assertThat(refused(() -> OutboundMessage.list(TO, "Choose", "Open")
                .section(null, Row.of("a", "A")).section("Second", Row.of("b", "B")).build()).rules())
                .containsExactly("interactive.list.section.title.required");

        assertThat(refused(() -> OutboundMessage.list(TO, "Choose", "Open").build()).rules())
                .containsExactly("interactive.list.sections.required");

        assertThat(refused(() -> OutboundMessage.list(TO, "Choose", "Open").section("S", Row.of("a",
                "A row title longer than 24", "d")).build()).rules())
                .containsExactly("interactive.list.row.title.max_length");

        assertThat(refused(() -> OutboundMessage.list(TO, "Choose", "Open").section("S", Row.of("a", "A",
                "x".repeat(73))).build()).rules())
                .containsExactly("interactive.list.row.description.max_length");

        assertThat(refused(() -> OutboundMessage.list(TO, "Choose", "A very long list button").section("S",
                Row.of("a", "A")).build()).rules()).containsExactly("interactive.list.button.max_length");

        assertThat(refused(() -> OutboundMessage.list(TO, "Choose", "Open").headerImage(MediaSource.id("1"))
                .section("S", Row.of("a", "A")).build()).rules()).containsExactly("interactive.list.header.text_only");

        assertThat(refused(() -> OutboundMessage.list(TO, "Choose", "Open").section("S", Row.of("a", "A"))
                .section("T", Row.of("a", "B")).build()).rules()).containsExactly("interactive.list.row.id.duplicate");
    }

    @Test
    void bodyLengths() {
        assertThatCode(() -> OutboundMessage.text(TO, "x".repeat(4096)).build()).doesNotThrowAnyException();
        InvalidMessageException text = refused(() -> OutboundMessage.text(TO, "x".repeat(4097)).build());
        assertThat(text.rules()).containsExactly("text.body.max_length");
        assertThat(text.getMessage()).contains("at most 4096 characters, got 4097");

        assertThat(refused(() -> OutboundMessage.buttons(TO, "x".repeat(1025)).button("a", "A").build()).rules())
                .containsExactly("interactive.body.max_length");
        assertThat(refused(() -> OutboundMessage.buttons(TO, "ok").footer("f".repeat(61)).button("a", "A").build())
                .rules()).containsExactly("interactive.footer.max_length");
        assertThat(refused(() -> OutboundMessage.buttons(TO, "ok").header("h".repeat(61)).button("a", "A").build())
                .rules()).containsExactly("interactive.header.text.max_length");
        // emoji count as one character each, as WhatsApp counts them
        assertThatCode(() -> OutboundMessage.buttons(TO, "ok").button("a", "\uD83D\uDE00".repeat(20)).build())
                .doesNotThrowAnyException();
    }

    @Test
    void emptyText() {
        assertThat(refused(() -> OutboundMessage.text(TO, "  ").build()).rules()).containsExactly("text.body.required");
        assertThat(refused(() -> OutboundMessage.text(TO, null).build()).rules()).containsExactly("text.body.required");
    }

    @Test
    void captionOnAudioOrSticker() {
        InvalidMessageException audio = refused(() -> OutboundMessage.audio(TO, MediaSource.id("123")).caption("hi")
                .build());
        assertThat(audio.rules()).containsExactly("media.caption.not_allowed");
        assertThat(audio.getMessage()).contains("only allowed on image, video and document, not on audio");
        assertThat(refused(() -> OutboundMessage.sticker(TO, MediaSource.id("123")).caption("hi").build()).rules())
                .containsExactly("media.caption.not_allowed");
        assertThat(refused(() -> OutboundMessage.image(TO, MediaSource.id("123")).filename("a.png").build()).rules())
                .containsExactly("media.filename.not_allowed");
        assertThat(refused(() -> OutboundMessage.image(TO, MediaSource.id("1")).caption("c".repeat(1025)).build())
                .rules()).containsExactly("media.caption.max_length");
    }

    @Test
    void invalidRecipients() {
        for (String bad : new String[] {"abc", "12345", "+0551234567", "1555123456789012", "", "15551234567x"}) {
            InvalidMessageException e = refused(() -> OutboundMessage.text(bad, "hi").build());
            assertThat(e.rules()).as(bad).containsAnyOf("to.invalid", "to.required");
        }
        assertThat(refused(() -> OutboundMessage.text("abc", "hi").build()).getMessage()).contains("E.164");
        for (String good : new String[] {"15551234567", "+15551234567", "+1 (555) 123-4567", "+44 20 7946 0958"}) {
            assertThatCode(() -> OutboundMessage.text(good, "hi").build()).as(good).doesNotThrowAnyException();
        }
    }

    @Test
    void badLinks() {
        for (String bad : new String[] {"ftp://example.com/a.png", "example.com/a.png", "https://", "http(s)://image-url",
                "https://exa mple.com/a.png"}) {
            assertThat(refused(() -> OutboundMessage.image(TO, MediaSource.link(bad)).build()).rules()).as(bad)
                    .containsExactly("media.link.invalid");
        }
        assertThat(refused(() -> OutboundMessage.ctaUrl(TO, "Track", "Track", "javascript:alert(1)").build()).rules())
                .containsExactly("interactive.cta_url.url.invalid");
        assertThat(refused(() -> OutboundMessage.ctaUrl(TO, "Track", "Track your parcel now", "https://e.com").build())
                .rules()).containsExactly("interactive.cta_url.display_text.max_length");
    }

    @Test
    void reactions() {
        assertThat(refused(() -> OutboundMessage.reaction(TO, null, "\uD83D\uDC4D").build()).rules())
                .containsExactly("reaction.message_id.required");
        assertThat(refused(() -> OutboundMessage.reaction(TO, "wamid.X", "ok").build()).rules())
                .containsExactly("reaction.emoji.invalid");
    }

    @Test
    void locationsAndContactsAndReplies() {
        assertThat(refused(() -> OutboundMessage.location(TO, 91, 0).build()).rules())
                .containsExactly("location.latitude.range");
        assertThat(refused(() -> OutboundMessage.location(TO, 0, -181).build()).rules())
                .containsExactly("location.longitude.range");
        assertThat(refused(() -> OutboundMessage.contacts(TO).build()).rules()).containsExactly("contacts.required");
        assertThat(refused(() -> OutboundMessage.contacts(TO, OutboundContact.builder(" ").build()).build()).rules())
                .containsExactly("contacts.name.formatted_name.required");
        assertThat(refused(() -> OutboundMessage.text(TO, "hi").replyTo("").build()).rules())
                .containsExactly("context.message_id.required");
        assertThat(refused(() -> OutboundMessage.text(TO, "hi").bizOpaqueCallbackData("x".repeat(513)).build())
                .rules()).containsExactly("biz_opaque_callback_data.max_length");
    }

    @Test
    void templates() {
        assertThat(refused(() -> OutboundMessage.template(TO, "Order Update", "en_US").build()).rules())
                .containsExactly("template.name.invalid");
        assertThat(refused(() -> OutboundMessage.template(TO, "order_update", "").build()).rules())
                .containsExactly("template.language.code.required");
        assertThat(refused(() -> OutboundMessage.template(TO, "order_update", "en_US")
                .body(TemplateParameter.text("")).build()).rules()).containsExactly("template.parameter.text.required");
        assertThat(refused(() -> OutboundMessage.template(TO, "order_update", "en_US")
                .quickReplyButton(10, "X").build()).rules()).containsExactly("template.button.index.invalid");
        assertThat(refused(() -> OutboundMessage.template(TO, "order_update", "en_US")
                .header(TemplateParameter.image(MediaSource.link("not a url"))).build()).rules())
                .containsExactly("media.link.invalid");
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        InvalidMessageException e = refused(() -> OutboundMessage.buttons("abc", "x".repeat(1025))
                .button("a", "A title that is too long").button("b", "B").button("c", "C").button("d", "D").build());

        assertThat(e.rules()).containsExactlyInAnyOrder("to.invalid", "interactive.body.max_length",
                "interactive.buttons.max", "interactive.button.title.max_length");
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.message()).isNotBlank());
    }

    @Test
    void mediaSourceNeedsExactlyOneOfIdAndLink() {
        Executable both = () -> new MediaSource("1", "https://e.com/a.png");
        assertThatThrownBy(both::execute).isInstanceOf(IllegalArgumentException.class);
    }
}
