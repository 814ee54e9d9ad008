package dev.parley.cloudapi.graph;

/** What a caller should do about a failed Graph call. */
public enum Classification {
    /** Try again later (after {@link GraphException#retryAfter()}); nothing about the request is wrong. */
    RETRYABLE,
    /** Retrying the same request will fail again: the request, the recipient, the template or the account must change. */
    PERMANENT,
    /** The access token is expired, invalid or revoked: a new token is needed before any call can succeed. */
    REAUTHORIZE
}
