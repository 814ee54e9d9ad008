package dev.parley.cloudapi.webhook;

/**
 * The {@code status} of an outbound message. {@link #UNKNOWN} is a value this library does not know;
 * the wire string is always kept in {@link MessageStatus#rawStatus()}.
 */
public enum StatusType {
    SENT, DELIVERED, READ, FAILED,
    /** The recipient first played a voice message. */
    PLAYED,
    /** Listed in Meta's 2022 collection: the user deleted the message. */
    DELETED,
    UNKNOWN;

    /** Maps a wire value; never fails ({@code null} and unknown values give {@link #UNKNOWN}). */
    public static StatusType fromWire(String status) {
        if (status == null) {
            return UNKNOWN;
        }
        switch (status) {
            case "sent": return SENT;
            case "delivered": return DELIVERED;
            case "read": return READ;
            case "failed": return FAILED;
            case "played": return PLAYED;
            case "deleted": return DELETED;
            default: return UNKNOWN;
        }
    }
}
