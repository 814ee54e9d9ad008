package dev.parley.cloudapi.webhook;

import java.util.Locale;

/**
 * The kind of an inbound message, for switch statements. {@link #UNKNOWN} means "a type this library does not
 * know yet"; the wire string is always kept in {@link InboundMessage#type()}. Meta's 2022 wire type
 * {@code "unknown"} (error 130501) meant the same as today's {@code "unsupported"} and maps to
 * {@link #UNSUPPORTED}.
 */
public enum MessageType {
    TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER, LOCATION, CONTACTS, INTERACTIVE, BUTTON, REACTION, ORDER, SYSTEM,
    UNSUPPORTED, UNKNOWN;

    /** Maps a wire {@code type} value; never fails ({@code null} and unknown values give {@link #UNKNOWN}). */
    public static MessageType fromWire(String type) {
        if (type == null) {
            return UNKNOWN;
        }
        switch (type) {
            case "text": return TEXT;
            case "image": return IMAGE;
            case "video": return VIDEO;
            case "audio": return AUDIO;
            case "document": return DOCUMENT;
            case "sticker": return STICKER;
            case "location": return LOCATION;
            case "contacts": return CONTACTS;
            case "interactive": return INTERACTIVE;
            case "button": return BUTTON;
            case "reaction": return REACTION;
            case "order": return ORDER;
            case "system": return SYSTEM;
            case "unsupported":
            case "unknown":
                return UNSUPPORTED;
            default:
                return UNKNOWN;
        }
    }

    /** The wire name ({@code "text"}, ...); {@code null} for {@link #UNKNOWN}. */
    public String wireName() {
        return this == UNKNOWN ? null : name().toLowerCase(Locale.ROOT);
    }
}
