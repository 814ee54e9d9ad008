package dev.parley.cloudapi.webhook;

import java.math.BigDecimal;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The type-specific part of an inbound message: the object named after {@code type} ({@code text},
 * {@code image}, ...). Each variant keeps that object in {@link #raw()} (a missing node when Meta omitted it),
 * so fields added by Meta later are never lost. Types this library does not know become {@link Unknown}.
 */
public sealed interface MessageContent {

    /** The kind of content. */
    MessageType kind();

    /** The type-named object as received (for {@code contacts} the array); a missing node if absent. */
    JsonNode raw();

    /** Media that can be downloaded by ID through the Graph API (image, video, audio, document, sticker). */
    sealed interface Media extends MessageContent permits Image, Video, Audio, Document, Sticker {
        /** Media ID for {@code GET /{media-id}}. */
        String id();

        String mimeType();

        /** Base64 SHA-256 of the file, as sent by Meta. */
        String sha256();

        /** Direct URL, which newer webhooks carry; {@code null} otherwise. */
        String url();
    }

    /** {@code text{body}}. */
    record Text(String body, JsonNode raw) implements MessageContent {
        public Text {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.TEXT;
        }
    }

    /** {@code image{id, mime_type, sha256, caption?, url?}}. */
    record Image(String id, String mimeType, String sha256, String caption, String url, JsonNode raw)
            implements Media {
        public Image {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.IMAGE;
        }
    }

    /** {@code video{id, mime_type, sha256, caption?, url?}}. */
    record Video(String id, String mimeType, String sha256, String caption, String url, JsonNode raw)
            implements Media {
        public Video {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.VIDEO;
        }
    }

    /**
     * {@code audio{id, mime_type, sha256, voice, url?}}.
     *
     * @param voice {@code true} for a voice note recorded in WhatsApp, {@code null} if Meta did not say
     */
    record Audio(String id, String mimeType, String sha256, Boolean voice, String url, JsonNode raw)
            implements Media {
        public Audio {
            raw = Json.raw(raw);
        }

        /** Whether this is a voice note ({@code voice: true}). */
        public boolean isVoice() {
            return Boolean.TRUE.equals(voice);
        }

        @Override
        public MessageType kind() {
            return MessageType.AUDIO;
        }
    }

    /** {@code document{id, mime_type, sha256, filename?, caption?, url?}}. */
    record Document(String id, String mimeType, String sha256, String filename, String caption, String url,
                    JsonNode raw) implements Media {
        public Document {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.DOCUMENT;
        }
    }

    /** {@code sticker{id, mime_type, sha256, animated, url?}}. */
    record Sticker(String id, String mimeType, String sha256, Boolean animated, String url, JsonNode raw)
            implements Media {
        public Sticker {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.STICKER;
        }
    }

    /** {@code location{latitude, longitude, name?, address?, url?}}; coordinates are {@code null} if unusable. */
    record Location(Double latitude, Double longitude, String name, String address, String url, JsonNode raw)
            implements MessageContent {
        public Location {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.LOCATION;
        }
    }

    /** {@code contacts[]}: one or more shared contact cards. */
    record Contacts(List<ContactCard> cards, JsonNode raw) implements MessageContent {
        public Contacts {
            cards = Json.copy(cards);
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.CONTACTS;
        }
    }

    /**
     * {@code interactive{type, button_reply|list_reply|nfm_reply|...}}: the user answered an interactive message.
     *
     * @param reply the typed reply; {@link InteractiveReply.Unknown} for types this library does not know,
     *              or when Meta sent no {@code interactive} object
     */
    record Interactive(InteractiveReply reply, JsonNode raw) implements MessageContent {
        public Interactive {
            raw = Json.raw(raw);
        }

        /** The wire {@code interactive.type}, e.g. {@code "button_reply"}; {@code null} if absent. */
        public String type() {
            return reply == null ? null : reply.type();
        }

        @Override
        public MessageType kind() {
            return MessageType.INTERACTIVE;
        }
    }

    /** {@code button{payload, text}}: the user tapped a quick-reply button of a template message. */
    record Button(String payload, String text, JsonNode raw) implements MessageContent {
        public Button {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.BUTTON;
        }
    }

    /**
     * {@code reaction{message_id, emoji}}.
     *
     * @param messageId wamid of the message reacted to
     * @param emoji     the emoji; empty or {@code null} when the user removed their reaction
     */
    record Reaction(String messageId, String emoji, JsonNode raw) implements MessageContent {
        public Reaction {
            raw = Json.raw(raw);
        }

        /** An empty or missing emoji means the user removed a reaction. */
        public boolean isRemoval() {
            return emoji == null || emoji.isEmpty();
        }

        @Override
        public MessageType kind() {
            return MessageType.REACTION;
        }
    }

    /** {@code order{catalog_id, text, product_items[]}}: a cart sent from a catalog. */
    record Order(String catalogId, String text, List<ProductItem> productItems, JsonNode raw)
            implements MessageContent {
        public Order {
            productItems = Json.copy(productItems);
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.ORDER;
        }
    }

    /** {@code order.product_items[]}; numbers are {@code null} if absent or unusable. */
    record ProductItem(String productRetailerId, Long quantity, BigDecimal itemPrice, String currency,
                       JsonNode raw) {
        public ProductItem {
            raw = Json.raw(raw);
        }
    }

    /**
     * {@code system{type, body, ...}}: a notice about the user, such as {@code user_changed_number} (with the
     * new {@code wa_id}), {@code user_changed_user_id} or {@code customer_identity_changed} (see
     * {@link InboundMessage#identity()}).
     *
     * @param type           wire {@code system.type}, kept as is
     * @param waId           {@code wa_id} (the new number, current shape)
     * @param newWaId        {@code new_wa_id} (older shape of the same)
     * @param identityHash   {@code system.identity} (older shape; the hash now lives in the message's identity)
     */
    record SystemNotice(String type, String body, String waId, String newWaId, String userId, String previousUserId,
                        String customer, String identityHash, JsonNode raw) implements MessageContent {
        public SystemNotice {
            raw = Json.raw(raw);
        }

        /** The user's new WhatsApp ID for {@code user_changed_number}, whichever field carried it. */
        public String changedWaId() {
            return waId != null ? waId : newWaId;
        }

        @Override
        public MessageType kind() {
            return MessageType.SYSTEM;
        }
    }

    /**
     * The user sent something Cloud API cannot deliver ({@code unsupported}, or Meta's 2022 {@code unknown});
     * the reason is in {@link InboundMessage#errors()}.
     *
     * @param unsupportedType {@code unsupported.type} when Meta names what it was, else {@code null}
     */
    record Unsupported(String unsupportedType, JsonNode raw) implements MessageContent {
        public Unsupported {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.UNSUPPORTED;
        }
    }

    /**
     * A message type this library does not know yet; the whole message is in {@link InboundMessage#raw()}.
     *
     * @param type the wire type, or {@code null} if the message had none
     */
    record Unknown(String type, JsonNode raw) implements MessageContent {
        public Unknown {
            raw = Json.raw(raw);
        }

        @Override
        public MessageType kind() {
            return MessageType.UNKNOWN;
        }
    }
}
