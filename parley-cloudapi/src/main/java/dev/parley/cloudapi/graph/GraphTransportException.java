package dev.parley.cloudapi.graph;

import java.time.Duration;
import java.util.Optional;

/**
 * No usable answer arrived: the connection could not be made, was dropped, or the call timed out. Always
 * {@link Classification#RETRYABLE}. For a send, the message may or may not have been accepted by Meta
 * ({@link #timedOut()} or a dropped connection after the request was written): retrying can duplicate it.
 */
public final class GraphTransportException extends GraphException {

    /** How the call failed. */
    public enum Kind {
        /** No answer within the client's timeout. */
        TIMEOUT,
        /** Connection refused, reset or closed without an answer, DNS failure, TLS failure, ... */
        CONNECTION,
        /** The calling thread was interrupted while waiting (the interrupt flag is set again). */
        INTERRUPTED
    }

    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

    private final Kind kind;
    private final String method;
    private final String url;

    GraphTransportException(Kind kind, String method, String url, Throwable cause) {
        super(describe(kind, method, url, cause), cause);
        this.kind = kind;
        this.method = method;
        this.url = url;
    }

    private static String describe(Kind kind, String method, String url, Throwable cause) {
        String what = switch (kind) {
            case TIMEOUT -> "timed out";
            case CONNECTION -> "failed to connect or the connection was dropped";
            case INTERRUPTED -> "was interrupted";
        };
        String reason = cause == null ? "" : ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage());
        return "Graph API call " + method + " " + url + " " + what + reason;
    }

    public Kind kind() {
        return kind;
    }

    public boolean timedOut() {
        return kind == Kind.TIMEOUT;
    }

    /** The HTTP method of the failed call. */
    public String method() {
        return method;
    }

    /** The URL of the failed call, without query parameters (they may carry secrets). */
    public String url() {
        return url;
    }

    @Override
    public Classification classification() {
        return Classification.RETRYABLE;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(DEFAULT_RETRY_AFTER);
    }
}
