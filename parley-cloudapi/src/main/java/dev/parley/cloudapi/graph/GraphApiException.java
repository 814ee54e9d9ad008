package dev.parley.cloudapi.graph;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Meta (or something between Parley and Meta) answered a Graph call with an error. When the body carries Meta's
 * error object ({@code {"error":{"message","type","code","error_subcode","error_data":{"details"},
 * "error_user_title","error_user_msg","fbtrace_id"}}}), every field is exposed here; otherwise
 * {@link #code()} is {@link #NO_ERROR_OBJECT} and {@link #rawBody()} shows (the start of) what came back.
 *
 * <p>{@link #classification()} follows Meta's error-code table (build logic on {@code code}, as Meta advises):
 * <ul>
 *   <li>REAUTHORIZE: 190 (expired, invalid or revoked token, any subcode), 102, 0, subcodes 458-467.</li>
 *   <li>RETRYABLE: 1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131000, 131016, 131056 (for that recipient only,
 *       see {@link #recipientScoped()}), 131057, 133004, 133015; any other code flagged {@code is_transient} or
 *       answered with HTTP 5xx or 429. Each has a suggested {@link #retryAfter()} (the {@code Retry-After}
 *       header wins when present).</li>
 *   <li>PERMANENT: everything else, e.g. 3, 10, 100, 200-299, 368, 131008, 131009, 131021, 131026, 131047,
 *       131051-131053, 132000-132016.</li>
 * </ul>
 */
public final class GraphApiException extends GraphException {

    /** {@link #code()} when the answer had no Meta error object (HTML from a proxy, empty body, ...). */
    public static final int NO_ERROR_OBJECT = -1;

    private static final Set<Integer> REAUTHORIZE_CODES = Set.of(0, 102, 190);
    private static final Set<Integer> REAUTHORIZE_SUBCODES = Set.of(458, 459, 460, 463, 464, 467);
    private static final Set<Integer> RETRYABLE_CODES = Set.of(1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131000,
            131016, 131056, 131057, 133004, 133015);
    private static final Set<Integer> PERMANENT_CODES = Set.of(3, 10, 100, 368, 130472, 131005, 131008, 131009,
            131021, 131026, 131031, 131037, 131042, 131045, 131047, 131048, 131049, 131050, 131051, 131052, 131053,
            132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018, 133000, 133010, 135000);

    private final int httpStatus;
    private final int code;
    private final Integer subcode;
    private final String type;
    private final String metaMessage;
    private final String errorUserTitle;
    private final String errorUserMsg;
    private final String details;
    private final String fbtraceId;
    private final Boolean transientFlag;
    private final JsonNode error;
    private final String rawBody;
    private final Classification classification;
    private final Duration retryAfter;

    GraphApiException(int httpStatus, int code, Integer subcode, String type, String metaMessage, String errorUserTitle,
                      String errorUserMsg, String details, String fbtraceId, Boolean transientFlag, JsonNode error,
                      String rawBody, Duration retryAfterHeader, String context) {
        super(describe(httpStatus, code, subcode, type, metaMessage, details, fbtraceId, rawBody, context), null);
        this.httpStatus = httpStatus;
        this.code = code;
        this.subcode = subcode;
        this.type = type;
        this.metaMessage = metaMessage;
        this.errorUserTitle = errorUserTitle;
        this.errorUserMsg = errorUserMsg;
        this.details = details;
        this.fbtraceId = fbtraceId;
        this.transientFlag = transientFlag;
        this.error = error;
        this.rawBody = rawBody;
        this.classification = classify(httpStatus, code, subcode, transientFlag);
        this.retryAfter = classification == Classification.RETRYABLE
                ? (retryAfterHeader != null ? retryAfterHeader : suggestedDelay(httpStatus, code))
                : null;
    }

    /**
     * Classifies a Meta error code alone, e.g. the {@code errors[].code} of a {@code failed} status webhook
     * (131047 -> PERMANENT: send a template; 131056 -> RETRYABLE for that recipient; 190 -> REAUTHORIZE).
     */
    public static Classification classify(int code) {
        return classify(400, code, null, null);
    }

    /** The suggested delay before retrying an error with this code, or empty when it is not retryable. */
    public static Optional<Duration> suggestedRetryAfter(int code) {
        return classify(code) == Classification.RETRYABLE ? Optional.of(suggestedDelay(400, code)) : Optional.empty();
    }

    /** Classifies an error from its HTTP status, code ({@link #NO_ERROR_OBJECT} if none), subcode and is_transient. */
    public static Classification classify(int httpStatus, int code, Integer subcode, Boolean transientFlag) {
        if (code == NO_ERROR_OBJECT) {
            if (httpStatus >= 500 || httpStatus == 429 || httpStatus == 408) return Classification.RETRYABLE;
            if (httpStatus == 401) return Classification.REAUTHORIZE;
            return Classification.PERMANENT;
        }
        if (REAUTHORIZE_CODES.contains(code) || (subcode != null && REAUTHORIZE_SUBCODES.contains(subcode))) {
            return Classification.REAUTHORIZE;
        }
        if (RETRYABLE_CODES.contains(code)) return Classification.RETRYABLE;
        if (PERMANENT_CODES.contains(code) || (code >= 200 && code <= 299)) return Classification.PERMANENT;
        if (Boolean.TRUE.equals(transientFlag) || httpStatus >= 500 || httpStatus == 429) {
            return Classification.RETRYABLE;
        }
        return Classification.PERMANENT;
    }

    static Duration suggestedDelay(int httpStatus, int code) {
        return switch (code) {
            case 130429 -> Duration.ofSeconds(1);          // per-second throughput: the next second is free again
            case 131056 -> Duration.ofSeconds(6);          // pair rate: one message per 6 s to one user
            case 4, 17, 32, 341, 613, 131057 -> Duration.ofSeconds(60);
            case 80007, 133015 -> Duration.ofMinutes(5);
            default -> httpStatus == 429 ? Duration.ofSeconds(30) : Duration.ofSeconds(5);
        };
    }

    private static String describe(int httpStatus, int code, Integer subcode, String type, String metaMessage,
                                   String details, String fbtraceId, String rawBody, String context) {
        StringBuilder sb = new StringBuilder();
        if (code == NO_ERROR_OBJECT) {
            sb.append("Graph API answered HTTP ").append(httpStatus).append(" without a Meta error object");
            if (context != null) sb.append(" (").append(context).append(')');
            sb.append(": ").append(rawBody == null || rawBody.isBlank() ? "<empty body>" : rawBody);
            return sb.toString();
        }
        sb.append("Graph API error ").append(code);
        if (subcode != null) sb.append('/').append(subcode);
        sb.append(" (HTTP ").append(httpStatus);
        if (type != null) sb.append(", ").append(type);
        sb.append("): ").append(metaMessage == null ? "<no message>" : metaMessage);
        if (details != null) sb.append(" - ").append(details);
        if (fbtraceId != null) sb.append(" [fbtrace_id ").append(fbtraceId).append(']');
        if (context != null) sb.append(" (").append(context).append(')');
        return sb.toString();
    }

    /** The HTTP status of the answer. Meta advises not to build logic on it; use {@link #code()}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Meta's {@code error.code}, or {@link #NO_ERROR_OBJECT}. */
    public int code() {
        return code;
    }

    /** Meta's {@code error.error_subcode}, or {@code null} (deprecated by Meta, still sent at times). */
    public Integer subcode() {
        return subcode;
    }

    /** Meta's {@code error.type}, e.g. {@code OAuthException}, {@code GraphMethodException}; may be null. */
    public String type() {
        return type;
    }

    /** Meta's {@code error.message}, e.g. {@code (#131047) Re-engagement message}; may be null. */
    public String message() {
        return metaMessage;
    }

    public String errorUserTitle() {
        return errorUserTitle;
    }

    public String errorUserMsg() {
        return errorUserMsg;
    }

    /** Meta's {@code error.error_data.details} (the most precise explanation), or null. */
    public String details() {
        return details;
    }

    public String fbtraceId() {
        return fbtraceId;
    }

    /** Meta's {@code error.is_transient}, or null when absent. */
    public Boolean isTransient() {
        return transientFlag;
    }

    /** The raw {@code error} object, or null when there was none. */
    public JsonNode error() {
        return error;
    }

    /** The start of the body (at most 2000 characters) when it had no Meta error object; otherwise null. */
    public String rawBody() {
        return rawBody;
    }

    /**
     * True for 131056 (pair rate limit): only messages to the same recipient must wait; other recipients can
     * be sent to right away.
     */
    public boolean recipientScoped() {
        return code == 131056;
    }

    @Override
    public Classification classification() {
        return classification;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
