package dev.parley.server.webhook;

import dev.parley.server.channel.IntegrationChanged;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.jobs.AckPriority;
import dev.parley.server.jobs.PollingLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the webhook feature's background work: the processor loop (woken by each commit of the writer, polling
 * otherwise, which also resumes work left unfinished by a crash or by another node), the retention job, and the
 * re-routing of deliveries no integration knew once one appears ({@link #integrationChanged}, plus a periodic
 * sweep because an integration may have been added on another node).
 */
final class WebhookWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);

    private final DeliveryProcessor processor;
    private final DeliveryStore store;
    private final IntegrationDirectory directory;
    private final WebhookSettings settings;
    private final WakeSignal wake;
    private final Duration sweepInterval;
    private final Duration retentionInterval;
    private final Duration linger;
    private final AckPriority priority;
    private final PollingLoop loop;
    private ScheduledExecutorService scheduler;

    WebhookWorker(DeliveryProcessor processor, DeliveryStore store, IntegrationDirectory directory,
                  WebhookSettings settings, WakeSignal wake, Duration sweepInterval, Duration retentionInterval) {
        this(processor, store, directory, settings, wake, sweepInterval, retentionInterval, Duration.ZERO);
    }

    /**
     * @param linger after a batch smaller than {@code processorBatch}, how long to let new deliveries accumulate
     *               before the next claim: under load the writer commits (and wakes this loop) every few
     *               milliseconds, and claiming a handful of deliveries each time costs far more per delivery than
     *               one batch of a few hundred
     */
    WebhookWorker(DeliveryProcessor processor, DeliveryStore store, IntegrationDirectory directory,
                  WebhookSettings settings, WakeSignal wake, Duration sweepInterval, Duration retentionInterval,
                  Duration linger) {
        this(processor, store, directory, settings, wake, sweepInterval, retentionInterval, linger, null);
    }

    /** @param priority while webhook acknowledgements are pressing, a pause between batches (null: never) */
    WebhookWorker(DeliveryProcessor processor, DeliveryStore store, IntegrationDirectory directory,
                  WebhookSettings settings, WakeSignal wake, Duration sweepInterval, Duration retentionInterval,
                  Duration linger, AckPriority priority) {
        this.priority = priority;
        this.linger = linger;
        this.processor = processor;
        this.store = store;
        this.directory = directory;
        this.settings = settings;
        this.wake = wake;
        this.sweepInterval = sweepInterval;
        this.retentionInterval = retentionInterval;
        this.loop = new PollingLoop("webhook-processor", settings.pollInterval(), this::processOnce);
    }

    @Override
    public synchronized void start() {
        if (loop.isRunning()) {
            return;
        }
        loop.start();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-webhook-jobs");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::sweepSafely, sweepInterval.toMillis(), sweepInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::retentionSafely, Math.min(60_000, retentionInterval.toMillis()),
                retentionInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Start after the web server's dependencies, stop before the data source closes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    void wake() {
        wake.wake();
    }

    /**
     * One round: a claimed batch, then the wait this loop needs. Nothing claimed: until the writer's next commit
     * wakes it or the poll interval passes. A partial batch: the linger, so that the next batch is larger. A full
     * batch: at once. The waiting is done here (the writer wakes {@link WakeSignal}), so the step always asks to run
     * again; {@link PollingLoop} keeps the thread, its stop, and the back-off after an error.
     */
    /** The longest pause between two batches while acknowledgements are pressing. */
    static final Duration GIVE_WAY = Duration.ofSeconds(1);

    private boolean processOnce() throws InterruptedException {
        int n = processor.runOnce();
        if (n == 0) {
            wake.await(settings.pollInterval());
        } else if (priority != null && priority.pressing()) {
            priority.giveWay(GIVE_WAY);
        } else if (n < settings.processorBatch() && !linger.isZero()) {
            Thread.sleep(linger.toMillis());
        }
        return true;
    }

    /** An integration was created or changed: deliveries waiting for its number or WABA are processed again. */
    void integrationChanged(IntegrationChanged event) {
        if (event.kind() != IntegrationChanged.Kind.CREATED && event.kind() != IntegrationChanged.Kind.UPDATED) {
            return;
        }
        Runnable task = () -> requeueFor(event);
        if (scheduler != null && loop.isRunning()) {
            scheduler.execute(task);
        } else {
            task.run();
        }
    }

    private void requeueFor(IntegrationChanged event) {
        try {
            directory.byId(event.integrationId()).ifPresent(r -> {
                int n = store.requeueUnrouted(r.phoneNumberId(), r.wabaId(), true);
                if (n > 0) {
                    log.info("{} stored webhook deliveries for {} are processed again", n, r);
                    wake();
                }
            });
        } catch (RuntimeException e) {
            log.warn("could not re-route deliveries for integration {}: {}", event.integrationId(), e.toString());
        }
    }

    /** Deliveries whose numbers an integration (maybe added on another node) now knows go back to the queue. */
    int sweep() {
        int total = 0;
        List<String[]> keys = store.unroutedKeys(500);
        for (String[] key : keys) {
            boolean known = key[0].equals("phone") ? directory.byPhoneNumberId(key[1]).isPresent()
                    : !directory.byWabaId(key[1]).isEmpty();
            if (known) {
                total += key[0].equals("phone") ? store.requeueUnrouted(key[1], null, false)
                        : store.requeueUnrouted(null, key[1], false);
            }
        }
        if (total > 0) {
            wake();
        }
        return total;
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("webhook unrouted sweep: {}", e.toString());
        }
    }

    /** Deletes processed and refused deliveries older than the retention (unrouted ones after their own). */
    int retention() {
        return store.deleteOlderThan(DeliveryStore.now().minus(settings.retention()),
                DeliveryStore.now().minus(settings.unroutedRetention()));
    }

    private void retentionSafely() {
        try {
            int n = retention();
            if (n > 0) {
                log.info("webhook retention deleted {} old deliveries", n);
            }
        } catch (RuntimeException e) {
            log.warn("webhook retention: {}", e.toString());
        }
    }

}
