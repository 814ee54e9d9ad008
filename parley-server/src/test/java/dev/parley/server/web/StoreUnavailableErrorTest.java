package dev.parley.server.web;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database outage while handling an API call (no connection within the pool's timeout, a query timeout, no
 * transaction) answers 503 with Retry-After and the contract's error shape, so that clients retry, instead of 500.
 * (The webhook URLs answer 503 on their own path: WebhookStoreOutageContract.)
 */
class StoreUnavailableErrorTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void anUnreachableDatabaseIs503WithRetryAfter() {
        for (Exception e : new Exception[] {
                new CannotGetJdbcConnectionException("no connection", new SQLTransientConnectionException("timeout")),
                new QueryTimeoutException("statement timed out"),
                new CannotCreateTransactionException("could not open a connection")}) {
            ResponseEntity<ApiError> answer = handler.storeUnavailable(e);
            assertThat(answer.getStatusCode().value()).as(e.toString()).isEqualTo(503);
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
            assertThat(answer.getBody()).isEqualTo(ApiError.of("store_unavailable",
                    "the database is unavailable; nothing was done, try again shortly"));
        }
    }

    @Test
    void aRollbackThatFailedBecauseTheConnectionWasLostIs503ButAFailedCommitIsNot() {
        // the connection died mid-transaction: the work failed for that reason and so did the rollback
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("This connection has been closed.", "08003"));
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException("connection lost",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")));
        ResponseEntity<ApiError> answer = handler.transactionSystem(rollbackFailed);
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getBody().error().code()).isEqualTo("store_unavailable");
        assertThat(StoreUnavailable.is(rollbackFailed)).isTrue();

        // a commit that failed: whether it took effect is unknown, so no "nothing was done"
        TransactionSystemException commitFailed = new TransactionSystemException("JDBC commit failed",
                new SQLException("This connection has been closed.", "08003"));
        assertThat(handler.transactionSystem(commitFailed).getStatusCode().value()).isEqualTo(500);
        assertThat(StoreUnavailable.is(commitFailed)).isFalse();
    }
}
