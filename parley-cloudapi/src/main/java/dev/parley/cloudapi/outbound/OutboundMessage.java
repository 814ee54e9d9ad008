package dev.parley.cloudapi.outbound;

import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message to send through the Cloud API, checked against Meta's rules when built: {@code build()} throws
 * {@link InvalidMessageException} naming every broken rule (see {@link OutboundValidator}), so nothing Meta would
 * refuse is sent. Immutable; {@link #toJson()} gives Meta's send body.
 *
 * <pre>{@code
 * OutboundMessage.text("+15551234567", "Your order shipped: https://example.com/t/1").previewUrl(true).build();
 * OutboundMessage.image("15551234567", MediaSource.id(mediaId)).caption("Receipt").replyTo(wamid).build();
 * OutboundMessage.buttons("15551234567", "Confirm?").button("yes", "Yes").button("no", "No").build();
 * OutboundMessage.template("15551234567", "order_update", "en_US")
 *         .body(TemplateParameter.text("#1234")).quickReplyButton(0, "TRACK_1234").build();
 * }</pre>
 */
public final class OutboundMessage {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectNode body;

    private OutboundMessage(ObjectNode body) {
        this.body = body;
    }

    /**
     * Wraps Meta's own send body after checking it.
     *
     * @throws InvalidMessageException naming each rule the body breaks
     */
    public static OutboundMessage fromJson(JsonNode metaBody) {
        OutboundValidator.check(metaBody);
        return new OutboundMessage(((ObjectNode) metaBody).deepCopy());
    }

    /** Meta's send body (a copy). */
    public ObjectNode toJson() {
        return body.deepCopy();
    }

    public String to() {
        return body.get("to").asString();
    }

    public String type() {
        JsonNode t = body.get("type");
        return t == null ? "text" : t.asString();
    }

    @Override
    public String toString() {
        return body.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundMessage m && m.body.equals(body);
    }

    @Override
    public int hashCode() {
        return body.hashCode();
    }

    // ------------------------------------------------------------------ factories

    /** A text message; URLs in it get a preview only with {@link TextBuilder#previewUrl(boolean)}. */
    public static TextBuilder text(String to, String body) {
        return new TextBuilder(to, body);
    }

    public static MediaBuilder image(String to, MediaSource media) {
        return new MediaBuilder(to, "image", media);
    }

    public static MediaBuilder video(String to, MediaSource media) {
        return new MediaBuilder(to, "video", media);
    }

    /** Audio (no caption allowed). */
    public static MediaBuilder audio(String to, MediaSource media) {
        return new MediaBuilder(to, "audio", media);
    }

    public static MediaBuilder document(String to, MediaSource media) {
        return new MediaBuilder(to, "document", media);
    }

    /** A sticker (webp; no caption allowed). */
    public static MediaBuilder sticker(String to, MediaSource media) {
        return new MediaBuilder(to, "sticker", media);
    }

    public static LocationBuilder location(String to, double latitude, double longitude) {
        return new LocationBuilder(to, latitude, longitude);
    }

    public static ContactsBuilder contacts(String to, OutboundContact... cards) {
        return new ContactsBuilder(to, List.of(cards));
    }

    public static ContactsBuilder contacts(String to, List<OutboundContact> cards) {
        return new ContactsBuilder(to, cards);
    }

    /** Interactive reply buttons (1 to 3) under a body text. */
    public static ButtonsBuilder buttons(String to, String body) {
        return new ButtonsBuilder(to, body);
    }

    /** An interactive list: a body text and a button that opens sections of rows (at most 10 rows in all). */
    public static ListBuilder list(String to, String body, String buttonText) {
        return new ListBuilder(to, body, buttonText);
    }

    /** An interactive call-to-action URL button. */
    public static CtaUrlBuilder ctaUrl(String to, String body, String displayText, String url) {
        return new CtaUrlBuilder(to, body, displayText, url);
    }

    /** Reacts to a message with an emoji. */
    public static ReactionBuilder reaction(String to, String messageId, String emoji) {
        return new ReactionBuilder(to, messageId, emoji);
    }

    /** Removes this business's reaction from a message (an empty emoji). */
    public static ReactionBuilder removeReaction(String to, String messageId) {
        return new ReactionBuilder(to, messageId, "");
    }

    /** A template message; {@code language} is the template's language code, e.g. {@code en_US}. */
    public static TemplateBuilder template(String to, String name, String language) {
        return new TemplateBuilder(to, name, language);
    }

    // ------------------------------------------------------------------ builders

    /** What every message builder has: the recipient, a reply context and opaque callback data. */
    public abstract static class Builder<B extends Builder<B>> {
        private final String to;
        private final String type;
        private String replyTo;
        private String bizOpaqueCallbackData;

        Builder(String to, String type) {
            this.to = to;
            this.type = type;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Quotes an earlier message ({@code context.message_id}): the message is shown as a reply to it. */
        public B replyTo(String messageId) {
            this.replyTo = messageId;
            return self();
        }

        /** Echoed back by Meta in this message's status webhooks (at most 512 characters). */
        public B bizOpaqueCallbackData(String data) {
            this.bizOpaqueCallbackData = data;
            return self();
        }

        abstract void content(ObjectNode root);

        /**
         * Builds the message.
         *
         * @throws InvalidMessageException naming every rule of Meta's the message breaks
         */
        public OutboundMessage build() {
            ObjectNode root = F.objectNode();
            root.put("messaging_product", "whatsapp");
            root.put("recipient_type", "individual");
            root.put("to", to);
            root.put("type", type);
            if (replyTo != null) root.putObject("context").put("message_id", replyTo);
            if (bizOpaqueCallbackData != null) root.put("biz_opaque_callback_data", bizOpaqueCallbackData);
            content(root);
            OutboundValidator.check(root);
            return new OutboundMessage(root);
        }
    }

    public static final class TextBuilder extends Builder<TextBuilder> {
        private final String body;
        private Boolean previewUrl;

        TextBuilder(String to, String body) {
            super(to, "text");
            this.body = body;
        }

        /** Whether WhatsApp shows a preview of the first URL in the body. */
        public TextBuilder previewUrl(boolean previewUrl) {
            this.previewUrl = previewUrl;
            return this;
        }

        @Override
        void content(ObjectNode root) {
            ObjectNode t = root.putObject("text");
            if (previewUrl != null) t.put("preview_url", previewUrl);
            t.put("body", body);
        }
    }

    public static final class MediaBuilder extends Builder<MediaBuilder> {
        private final String type;
        private final MediaSource media;
        private String caption;
        private String filename;

        MediaBuilder(String to, String type, MediaSource media) {
            super(to, type);
            this.type = type;
            this.media = Objects.requireNonNull(media, "media");
        }

        /** For image, video and document only (at most 1024 characters). */
        public MediaBuilder caption(String caption) {
            this.caption = caption;
            return this;
        }

        /** For document only: the file name the recipient sees. */
        public MediaBuilder filename(String filename) {
            this.filename = filename;
            return this;
        }

        @Override
        void content(ObjectNode root) {
            ObjectNode m = root.putObject(type);
            if (media.id() != null) m.put("id", media.id());
            else m.put("link", media.link());
            if (caption != null) m.put("caption", caption);
            if (filename != null) m.put("filename", filename);
        }
    }

    public static final class LocationBuilder extends Builder<LocationBuilder> {
        private final double latitude;
        private final double longitude;
        private String name;
        private String address;

        LocationBuilder(String to, double latitude, double longitude) {
            super(to, "location");
            this.latitude = latitude;
            this.longitude = longitude;
        }

        public LocationBuilder name(String name) {
            this.name = name;
            return this;
        }

        public LocationBuilder address(String address) {
            this.address = address;
            return this;
        }

        @Override
        void content(ObjectNode root) {
            ObjectNode l = root.putObject("location");
            l.put("latitude", latitude);
            l.put("longitude", longitude);
            if (name != null) l.put("name", name);
            if (address != null) l.put("address", address);
        }
    }

    public static final class ContactsBuilder extends Builder<ContactsBuilder> {
        private final List<OutboundContact> cards;

        ContactsBuilder(String to, List<OutboundContact> cards) {
            super(to, "contacts");
            this.cards = List.copyOf(cards);
        }

        @Override
        void content(ObjectNode root) {
            ArrayNode a = root.putArray("contacts");
            for (OutboundContact c : cards) a.add(c.json());
        }
    }

    /** Header, body and footer shared by the interactive builders. */
    public abstract static class InteractiveBuilder<B extends InteractiveBuilder<B>> extends Builder<B> {
        private final String interactiveType;
        private final String body;
        private ObjectNode header;
        private String footer;

        InteractiveBuilder(String to, String interactiveType, String body) {
            super(to, "interactive");
            this.interactiveType = interactiveType;
            this.body = body;
        }

        @SuppressWarnings("unchecked")
        private B me() {
            return (B) this;
        }

        /** A text header (at most 60 characters). */
        public B header(String text) {
            header = F.objectNode().put("type", "text");
            header.put("text", text);
            return me();
        }

        /** An image header (buttons and cta_url only). */
        public B headerImage(MediaSource media) {
            return mediaHeader("image", media);
        }

        public B headerVideo(MediaSource media) {
            return mediaHeader("video", media);
        }

        public B headerDocument(MediaSource media) {
            return mediaHeader("document", media);
        }

        private B mediaHeader(String type, MediaSource media) {
            header = F.objectNode().put("type", type);
            ObjectNode m = header.putObject(type);
            if (media.id() != null) m.put("id", media.id());
            else m.put("link", media.link());
            return me();
        }

        /** A footer (at most 60 characters). */
        public B footer(String text) {
            this.footer = text;
            return me();
        }

        abstract void action(ObjectNode action);

        @Override
        final void content(ObjectNode root) {
            ObjectNode in = root.putObject("interactive");
            in.put("type", interactiveType);
            if (header != null) in.set("header", header.deepCopy());
            in.putObject("body").put("text", body);
            if (footer != null) in.putObject("footer").put("text", footer);
            action(in.putObject("action"));
        }
    }

    public static final class ButtonsBuilder extends InteractiveBuilder<ButtonsBuilder> {
        private final ArrayNode buttons = F.arrayNode();

        ButtonsBuilder(String to, String body) {
            super(to, "button", body);
        }

        /** A reply button: {@code id} comes back in the customer's reply; {@code title} at most 20 characters. */
        public ButtonsBuilder button(String id, String title) {
            ObjectNode b = buttons.addObject().put("type", "reply");
            ObjectNode r = b.putObject("reply");
            r.put("id", id);
            r.put("title", title);
            return this;
        }

        @Override
        void action(ObjectNode action) {
            action.set("buttons", buttons.deepCopy());
        }
    }

    public static final class ListBuilder extends InteractiveBuilder<ListBuilder> {
        private final String buttonText;
        private final ArrayNode sections = F.arrayNode();

        ListBuilder(String to, String body, String buttonText) {
            super(to, "list", body);
            this.buttonText = buttonText;
        }

        /** A section; {@code title} may be null when it is the only section. */
        public ListBuilder section(String title, Row... rows) {
            ObjectNode s = sections.addObject();
            if (title != null) s.put("title", title);
            ArrayNode r = s.putArray("rows");
            for (Row row : rows) {
                ObjectNode o = r.addObject();
                o.put("id", row.id());
                o.put("title", row.title());
                if (row.description() != null) o.put("description", row.description());
            }
            return this;
        }

        @Override
        void action(ObjectNode action) {
            action.put("button", buttonText);
            action.set("sections", sections.deepCopy());
        }
    }

    /** A list row: id (comes back in the reply), title (at most 24) and an optional description (at most 72). */
    public record Row(String id, String title, String description) {
        public static Row of(String id, String title) {
            return new Row(id, title, null);
        }

        public static Row of(String id, String title, String description) {
            return new Row(id, title, description);
        }
    }

    public static final class CtaUrlBuilder extends InteractiveBuilder<CtaUrlBuilder> {
        private final String displayText;
        private final String url;

        CtaUrlBuilder(String to, String body, String displayText, String url) {
            super(to, "cta_url", body);
            this.displayText = displayText;
            this.url = url;
        }

        @Override
        void action(ObjectNode action) {
            action.put("name", "cta_url");
            ObjectNode p = action.putObject("parameters");
            p.put("display_text", displayText);
            p.put("url", url);
        }
    }

    public static final class ReactionBuilder extends Builder<ReactionBuilder> {
        private final String messageId;
        private final String emoji;

        ReactionBuilder(String to, String messageId, String emoji) {
            super(to, "reaction");
            this.messageId = messageId;
            this.emoji = emoji;
        }

        @Override
        void content(ObjectNode root) {
            ObjectNode r = root.putObject("reaction");
            r.put("message_id", messageId);
            r.put("emoji", emoji);
        }
    }

    public static final class TemplateBuilder extends Builder<TemplateBuilder> {
        private final String name;
        private final String language;
        private final ArrayNode components = F.arrayNode();

        TemplateBuilder(String to, String name, String language) {
            super(to, "template");
            this.name = name;
            this.language = language;
        }

        /** Header parameters (one text, or one image/video/document). */
        public TemplateBuilder header(TemplateParameter... parameters) {
            return component("header", parameters);
        }

        /** Body parameters, in the order of {@code {{1}}, {{2}}, ...} (or named). */
        public TemplateBuilder body(TemplateParameter... parameters) {
            return component("body", parameters);
        }

        /** A button component: {@code subType} quick_reply, url, copy_code, ...; {@code index} its position. */
        public TemplateBuilder button(String subType, int index, TemplateParameter... parameters) {
            ObjectNode c = components.addObject().put("type", "button");
            c.put("sub_type", subType);
            c.put("index", index);
            ArrayNode p = c.putArray("parameters");
            for (TemplateParameter tp : parameters) p.add(tp.json());
            return this;
        }

        public TemplateBuilder quickReplyButton(int index, String payload) {
            return button("quick_reply", index, TemplateParameter.payload(payload));
        }

        /** The dynamic suffix of a URL button. */
        public TemplateBuilder urlButton(int index, String urlSuffix) {
            return button("url", index, TemplateParameter.text(urlSuffix));
        }

        public TemplateBuilder copyCodeButton(int index, String code) {
            return button("copy_code", index, TemplateParameter.couponCode(code));
        }

        private TemplateBuilder component(String type, TemplateParameter... parameters) {
            ObjectNode c = components.addObject().put("type", type);
            ArrayNode p = c.putArray("parameters");
            for (TemplateParameter tp : parameters) p.add(tp.json());
            return this;
        }

        @Override
        void content(ObjectNode root) {
            ObjectNode t = root.putObject("template");
            t.put("name", name);
            t.putObject("language").put("code", language);
            if (!components.isEmpty()) t.set("components", components.deepCopy());
        }
    }
}
