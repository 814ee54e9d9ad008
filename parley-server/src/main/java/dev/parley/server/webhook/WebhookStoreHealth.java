package dev.parley.server.webhook;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code webhookStore} in {@code /actuator/health}: whether a webhook delivery can be committed right now, which is
 * what "Parley can take webhooks" means (the datasource check only opens a connection, and answered UP while the
 * embedded database refused every write). DOWN when the group commit's last attempt failed and nothing has been
 * committed since, or when a probe write fails or does not finish within {@code probeTimeout}; UP again by itself
 * as soon as a commit (a delivery's or a probe's) works.
 *
 * <p>Cheap under traffic: a commit within {@code fresh} with no failure after it answers UP without touching the
 * database. Otherwise (idle, or failing) the writer commits a probe row (see {@link DeliveryWriter#probe()}), at
 * most one at a time and not more often than every {@code probeEvery}.
 */
final class WebhookStoreHealth implements HealthIndicator {

    private final DeliveryWriter writer;
    private final long freshNanos;
    private final long probeEveryNanos;
    private final Duration probeTimeout;
    private CompletableFuture<Void> probe;
    private long probeStarted;

    WebhookStoreHealth(DeliveryWriter writer, Duration fresh, Duration probeEvery, Duration probeTimeout) {
        this.writer = writer;
        this.freshNanos = fresh.toNanos();
        this.probeEveryNanos = probeEvery.toNanos();
        this.probeTimeout = probeTimeout;
    }

    @Override
    public Health health() {
        DeliveryWriter.Status s = writer.status();
        long now = System.nanoTime();
        if (!s.failing() && s.lastCommit() != null && now - s.lastCommitNanos() < freshNanos) {
            return details(Health.up(), writer.status()).build();
        }
        String probeProblem = awaitProbe(now);
        DeliveryWriter.Status after = writer.status();
        if (probeProblem == null && !after.failing()) {
            return details(Health.up(), after).build();
        }
        String reason;
        if (after.failing()) {
            reason = "webhook deliveries cannot be committed: " + after.failuresSinceCommit()
                    + " failed commit(s) since the last one that worked; Meta's deliveries are answered 503 and"
                    + " retried";
        } else {
            reason = "the webhook store did not confirm a write: " + probeProblem;
        }
        return details(Health.down().withDetail("reason", reason), after).build();
    }

    /** Starts a probe unless one is in flight or finished lately, and waits for it; answers null when it worked. */
    private String awaitProbe(long now) {
        CompletableFuture<Void> p;
        synchronized (this) {
            if (probe == null || (probe.isDone() && now - probeStarted >= probeEveryNanos)) {
                probe = writer.probe();
                probeStarted = now;
            }
            p = probe;
        }
        try {
            p.get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "a probe write did not finish within " + probeTimeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause == null ? e.toString() : cause.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private Health.Builder details(Health.Builder b, DeliveryWriter.Status s) {
        if (s.lastCommit() != null) {
            b.withDetail("last_commit", s.lastCommit().toString());
        }
        if (s.lastFailure() != null) {
            b.withDetail("last_failure", s.lastFailure().toString());
            b.withDetail("last_error", s.lastError());
        }
        b.withDetail("failures_since_last_commit", s.failuresSinceCommit());
        b.withDetail("waiting_for_commit", writer.queued());
        return b;
    }
}
