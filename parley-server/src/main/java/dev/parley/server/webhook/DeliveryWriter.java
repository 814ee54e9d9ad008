package dev.parley.server.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for the ack path. Request threads hand their delivery to {@link #submit}; one writer thread takes
 * whatever is waiting (up to {@code writerBatch}), inserts it with one JDBC batch in one transaction, commits, and
 * only then completes each request's future. While a commit is in flight, new deliveries pile up and go together
 * in the next one, so the cost of a commit is shared by every request waiting for it. A failed commit fails every
 * future of its batch (the requests answer 503 and Meta retries); a full queue fails at once.
 *
 * <p>It also keeps the outcome of its last commits ({@link #status()}) and can be asked to {@link #probe()} the
 * store, so that health reports whether deliveries can be committed right now (see {@link WebhookStoreHealth}).
 */
final class DeliveryWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWriter.class);
    static final String INSERT = "INSERT INTO webhook_deliveries (received_at, org_id, integration_id, via, source_ip,"
            + " signature_valid, signature_header, headers, body, body_size, http_status, state, outcome, detail,"
            + " attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";

    /** Thrown (as the cause of a failed future) when a delivery could not be stored. */
    static final class StoreUnavailableException extends RuntimeException {
        StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Bytes of bodies committed together at most (one larger body still goes alone). */
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    /** Written with state {@code rejected} and no organization, so nothing processes or shows it; deleted at once. */
    static final String PROBE_VIA = "probe";

    /** A delivery to commit, or (row null) a probe: a write that only proves the store commits. */
    private record Pending(DeliveryRow row, CompletableFuture<Void> done) {
    }

    /**
     * What the writer saw last. {@code lastCommit}/{@code lastFailure} are wall-clock instants (null: never),
     * {@code lastCommitNanos} the {@link System#nanoTime()} of the last commit; {@code commitSeq}/{@code failureSeq}
     * order them (the higher is the more recent). {@code failuresSinceCommit} counts failed attempts since the last
     * commit that worked.
     */
    record Status(Instant lastCommit, long lastCommitNanos, long commitSeq, Instant lastFailure, long failureSeq,
                  String lastError, long failuresSinceCommit) {
        static final Status NEW = new Status(null, 0, 0, null, 0, null, 0);

        /** The last attempt failed and none has succeeded since. */
        boolean failing() {
            return failureSeq > commitSeq;
        }
    }

    private final DataSource dataSource;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final Runnable afterCommit;
    private final Runnable pressure;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Status status = Status.NEW;
    private long seq;

    DeliveryWriter(DataSource dataSource, WebhookSettings settings, Runnable afterCommit) {
        this(dataSource, settings, afterCommit, null);
    }

    /** @param pressure told whenever several deliveries wait for the same commit (see {@code jobs.AckPriority}) */
    DeliveryWriter(DataSource dataSource, WebhookSettings settings, Runnable afterCommit, Runnable pressure) {
        this.pressure = pressure == null ? () -> { } : pressure;
        this.dataSource = dataSource;
        this.queue = new ArrayBlockingQueue<>(settings.writerQueue());
        this.maxBatch = settings.writerBatch();
        this.afterCommit = afterCommit == null ? () -> { } : afterCommit;
        this.thread = new Thread(this::run, "parley-webhook-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a delivery; the future completes after its commit, or exceptionally if it could not be stored. */
    CompletableFuture<Void> submit(DeliveryRow row) {
        return enqueue(row);
    }

    /**
     * Asks the writer thread to commit a probe row (and delete it): completes when that commit worked, exceptionally
     * when it failed. Goes through the same queue and thread as the deliveries, so a stuck writer shows too.
     */
    CompletableFuture<Void> probe() {
        return enqueue(null);
    }

    /** A delivery, or (null) a probe, for the writer thread; fails at once when stopped or when the queue is full. */
    private CompletableFuture<Void> enqueue(DeliveryRow row) {
        Pending p = new Pending(row, new CompletableFuture<>());
        if (!running) {
            p.done.completeExceptionally(new StoreUnavailableException("the webhook writer is stopped", null));
        } else if (!queue.offer(p)) {
            p.done.completeExceptionally(new StoreUnavailableException("too many deliveries waiting to be stored",
                    null));
        }
        return p.done;
    }

    /** The outcome of the last commits. */
    Status status() {
        return status;
    }

    /** Deliveries waiting for the writer (a gauge). */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                long bytes = size(first);
                // at most maxBatch deliveries and about MAX_BATCH_BYTES in one commit (only this thread takes)
                Pending next;
                while (batch.size() < maxBatch && bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
                    batch.add(next);
                    bytes += size(next);
                }
                if (batch.size() > 1) {
                    pressure.run();
                }
                write(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (Throwable t) {
                // never let the writer die: fail what it held and go on
                log.error("webhook writer failed", t);
                failed(t);
                fail(batch, t);
            }
        }
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        fail(rest, new IllegalStateException("the webhook writer stopped"));
    }

    private static long size(Pending p) {
        return p.row == null || p.row.body() == null ? 0 : p.row.body().length;
    }

    private void write(List<Pending> batch) {
        boolean rows = false;
        for (Pending p : batch) {
            rows |= p.row != null;
        }
        if (!rows) {
            probeWrite(batch);
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Pending p : batch) {
                    if (p.row != null) { // a probe in a batch of deliveries succeeds with their commit
                        bind(ps, p.row);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is probably gone; the batch fails either way
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // returned to the pool broken; the pool validates it
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("could not store {} webhook deliveries: {}", batch.size(), e.toString());
            failed(e);
            fail(batch, e);
            return;
        }
        committed();
        for (Pending p : batch) {
            p.done.complete(null);
        }
        try {
            afterCommit.run();
        } catch (RuntimeException e) {
            log.warn("after-commit hook failed", e);
        }
    }

    /** A probe alone: commit a row nobody processes or sees, then delete it (retention would, otherwise). */
    private void probeWrite(List<Pending> probes) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(INSERT, new String[] {"id"})) {
                bind(ps, new DeliveryRow(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), null, null,
                        PROBE_VIA, null, null, null, null, null, 0, 0, DeliveryState.REJECTED, PROBE_VIA,
                        "health probe"));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys();
                     PreparedStatement del = c.prepareStatement("DELETE FROM webhook_deliveries WHERE id = ?")) {
                    if (keys.next()) {
                        del.setLong(1, keys.getLong(1));
                        del.executeUpdate();
                    }
                }
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // returned to the pool broken; the pool validates it
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("webhook store probe failed: {}", e.toString());
            failed(e);
            fail(probes, e);
            return;
        }
        committed();
        for (Pending p : probes) {
            p.done.complete(null);
        }
    }

    private void committed() {
        Status s = status;
        status = new Status(Instant.now(), System.nanoTime(), ++seq, s.lastFailure(), s.failureSeq(), s.lastError(),
                0);
    }

    private void failed(Throwable e) {
        Status s = status;
        String error = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (error.length() > 300) {
            error = error.substring(0, 297) + "...";
        }
        status = new Status(s.lastCommit(), s.lastCommitNanos(), s.commitSeq(), Instant.now(), ++seq, error,
                s.failuresSinceCommit() + 1);
    }

    private static void fail(List<Pending> batch, Throwable cause) {
        StoreUnavailableException e = cause instanceof StoreUnavailableException s ? s
                : new StoreUnavailableException("could not store the delivery: " + cause, cause);
        for (Pending p : batch) {
            p.done.completeExceptionally(e);
        }
    }

    private static void bind(PreparedStatement ps, DeliveryRow r) throws SQLException {
        ps.setObject(1, r.receivedAt());
        ps.setObject(2, r.orgId());
        ps.setObject(3, r.integrationId());
        ps.setString(4, r.via());
        ps.setString(5, r.sourceIp());
        if (r.signatureValid() == null) {
            ps.setNull(6, Types.BOOLEAN);
        } else {
            ps.setBoolean(6, r.signatureValid());
        }
        ps.setString(7, r.signatureHeader());
        ps.setString(8, r.headersJson());
        if (r.body() == null) {
            ps.setNull(9, Types.BINARY);
        } else {
            ps.setBytes(9, r.body());
        }
        ps.setInt(10, r.bodySize());
        ps.setInt(11, r.httpStatus());
        ps.setString(12, r.state());
        ps.setString(13, r.outcome());
        ps.setString(14, r.detail());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
