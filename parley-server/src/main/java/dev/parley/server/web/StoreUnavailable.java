package dev.parley.server.web;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The answer to a call that cannot be handled because the database cannot be reached (no connection within the
 * pool's timeout, a connection lost, a timeout): 503 {@value #CODE} with {@code Retry-After}, so that clients retry
 * as they would on any temporary outage. Used by {@link ApiExceptionHandler} (an outage inside a controller) and by
 * the API token check (an outage before a controller: the token cannot be looked up).
 */
public final class StoreUnavailable {

    public static final String CODE = "store_unavailable";
    public static final String MESSAGE = "the database is unavailable; nothing was done, try again shortly";
    /** Seconds, for the Retry-After header. */
    public static final String RETRY_AFTER = "5";

    private StoreUnavailable() {
    }

    /**
     * Whether the exception says the database could not be reached (rather than a mistake in the call or a bug). That
     * includes a rollback that failed after the work itself failed for that reason (the connection was lost in the
     * middle of a transaction, so the rollback could not be sent either: nothing was committed). A commit that failed
     * is not included: whether it took effect is unknown.
     */
    public static boolean is(Throwable e) {
        if (e instanceof TransactionSystemException tse) {
            return tse.getApplicationException() != null && is(tse.getApplicationException());
        }
        return e instanceof DataAccessResourceFailureException || e instanceof TransientDataAccessException
                || e instanceof CannotCreateTransactionException;
    }
}
