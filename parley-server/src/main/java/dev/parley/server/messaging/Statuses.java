package dev.parley.server.messaging;

import java.util.Locale;

/** The outbound status ladder: a message's status only moves up it; {@code failed} is final. */
final class Statuses {

    static final String RECEIVED = "received";
    static final String QUEUED = "queued";
    static final int FAILED_RANK = 9;

    private Statuses() {
    }

    /**
     * The rank of a status from Meta: sent 1, delivered 2, read 3, failed 9; -1 for statuses that are recorded
     * but do not move the message (played, deleted, new values).
     */
    static int rank(String status) {
        if (status == null) {
            return -1;
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "sent" -> 1;
            case "delivered" -> 2;
            case "read" -> 3;
            case "failed" -> FAILED_RANK;
            default -> -1;
        };
    }

    /** The messages column holding the time of this status, or null. */
    static String timeColumn(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "sent" -> "sent_at";
            case "delivered" -> "delivered_at";
            case "read" -> "read_at";
            case "failed" -> "failed_at";
            default -> null;
        };
    }
}
