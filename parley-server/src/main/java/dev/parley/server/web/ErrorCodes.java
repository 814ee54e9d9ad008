package dev.parley.server.web;

import org.springframework.http.HttpStatus;

/** Default error codes and messages per HTTP status, for errors that carry nothing more specific. */
public final class ErrorCodes {

    private ErrorCodes() {
    }

    public static String forStatus(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "bad_request";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND -> "not_found";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case NOT_ACCEPTABLE -> "not_acceptable";
            case CONFLICT -> "conflict";
            case PAYLOAD_TOO_LARGE -> "payload_too_large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported_media_type";
            case UNPROCESSABLE_ENTITY -> "unprocessable";
            case TOO_MANY_REQUESTS -> "rate_limited";
            default -> status.is5xxServerError() ? "internal_error" : "bad_request";
        };
    }

    public static String messageForStatus(HttpStatus status) {
        return status.is5xxServerError() ? "an unexpected error occurred" : status.getReasonPhrase().toLowerCase();
    }
}
