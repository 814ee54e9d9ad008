package dev.parley.cloudapi.graph;

import java.time.Duration;
import java.util.Optional;

/**
 * A Graph API call failed. Either Meta (or something in between) answered with an error
 * ({@link GraphApiException}) or no usable answer arrived at all ({@link GraphTransportException}).
 */
public abstract sealed class GraphException extends RuntimeException permits GraphApiException, GraphTransportException {

    protected GraphException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether to retry, give up, or get a new access token. */
    public abstract Classification classification();

    /** A suggested delay before retrying; present only when {@link #classification()} is RETRYABLE. */
    public abstract Optional<Duration> retryAfter();

    public boolean isRetryable() {
        return classification() == Classification.RETRYABLE;
    }

    public boolean needsReauthorization() {
        return classification() == Classification.REAUTHORIZE;
    }
}
