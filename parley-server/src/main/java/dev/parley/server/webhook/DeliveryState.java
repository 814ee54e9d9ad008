package dev.parley.server.webhook;

/** Values of {@code webhook_deliveries.state} and {@code outcome}. */
final class DeliveryState {

    static final String PENDING = "pending";
    static final String PROCESSING = "processing";
    static final String PROCESSED = "processed";
    static final String UNROUTED = "unrouted";
    static final String REJECTED = "rejected";

    /** Stored, not processed yet. */
    static final String OUTCOME_QUEUED = "queued";
    /** Every item was handed to its integration. */
    static final String OUTCOME_PROCESSED = "processed";
    /** Some items were processed, others belong to numbers no integration knows (kept for later). */
    static final String OUTCOME_PARTIALLY_UNROUTED = "partially_unrouted";
    /** No integration knows the numbers yet: kept, processed when one appears. */
    static final String OUTCOME_UNROUTED = "unrouted";
    /** The body is not a WhatsApp webhook (not JSON, no entry array): kept for inspection. */
    static final String OUTCOME_UNPARSEABLE = "unparseable";
    /** The integrations found for its numbers have app secrets that do not match its signature. */
    static final String OUTCOME_SIGNATURE_MISMATCH = "signature_mismatch";
    /** Processing failed; retried with backoff (state pending) until maxAttempts, then final. */
    static final String OUTCOME_FAILED = "failed";
    static final String OUTCOME_BAD_SIGNATURE = "bad_signature";
    static final String OUTCOME_NO_APP_SECRET = "no_app_secret";
    static final String OUTCOME_TOO_LARGE = "too_large";
    static final String OUTCOME_MALFORMED = "malformed";

    private DeliveryState() {
    }
}
