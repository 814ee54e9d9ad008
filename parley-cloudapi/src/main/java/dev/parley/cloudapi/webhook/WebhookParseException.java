package dev.parley.cloudapi.webhook;

/**
 * Thrown by {@link WebhookParser} when a body cannot be a webhook at all: it is not JSON, its top level is not
 * an object, or it has no {@code entry} array. Anything else (unknown types, unknown fields, odd field types)
 * is parsed and kept, never rejected.
 */
public class WebhookParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WebhookParseException(String message) {
        super(message);
    }

    public WebhookParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
