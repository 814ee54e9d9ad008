package dev.parley.cloudapi.webhook;

/**
 * The {@code event} of a {@code message_template_status_update}. {@link #UNKNOWN} is a value this library does
 * not know; the wire string is kept in {@link TemplateStatusUpdate#event()}.
 */
public enum TemplateStatusEvent {
    APPROVED, PENDING, REJECTED, PAUSED, DISABLED, FLAGGED, IN_APPEAL, REINSTATED, PENDING_DELETION, DELETED,
    ARCHIVED, UNARCHIVED, LIMIT_EXCEEDED, LOCKED, UNKNOWN;

    /** Maps a wire value; never fails ({@code null} and unknown values give {@link #UNKNOWN}). */
    public static TemplateStatusEvent fromWire(String event) {
        if (event == null || event.equals("UNKNOWN")) {
            return UNKNOWN;
        }
        for (TemplateStatusEvent value : values()) {
            if (value.name().equals(event)) {
                return value;
            }
        }
        return UNKNOWN;
    }
}
