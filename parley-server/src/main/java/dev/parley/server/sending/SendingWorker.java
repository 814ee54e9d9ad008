package dev.parley.server.sending;

import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphClient;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.cloudapi.graph.GraphTransportException;
import dev.parley.cloudapi.graph.SendResult;
import dev.parley.server.channel.IntegrationChanged;
import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.messaging.OutboundMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends queued messages. A poller claims due rows from {@link OutboundQueue} into one lane per phone number;
 * each lane is paced by its own sliding second ({@link SendWindow}) at the integration's rate, so a busy number
 * never delays another, and no one-second window at Meta holds more than the rate; sends run on a shared pool. Meta's answer decides what happens next: accepted (wamid stored),
 * retried later with exponential backoff and jitter (bounded in total time), failed with Meta's error, or - for
 * an expired token (190) - all of the integration's messages held until its credentials change.
 * <p>
 * A {@link SmartLifecycle}: stopping it stops claiming, lets sends in flight finish and gives unsent claims back,
 * so another node (or this one after a restart) sends them, each once.
 */
@Component
class SendingWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SendingWorker.class);
    private final OutboundQueue queue;
    private final SendingSettings settings;
    private final OutboundMessages outbound;
    private final IntegrationClients clients;
    private final IntegrationDirectory directory;
    private final IntegrationSignals signals;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SendingMetrics metrics;

    private final boolean autoStart;
    private final int threads;
    private final Duration pollInterval;
    private final Duration lease;
    private final int batch;
    private final Duration maxRetryTime;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final double delayScale;
    private final Duration throughputPause;

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<UUID, GraphClient> graphClients = new ConcurrentHashMap<>();
    /** Integrations held on this node, until when (other nodes' credential fixes reach us when this lapses). */
    private final Map<UUID, Instant> held = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object lifecycle = new Object();

    private volatile String node;
    private volatile boolean running;
    /** Claims from the queue (database work). */
    private ScheduledExecutorService scheduler;
    /** Wakes lanes when their window has room again: never behind a claim, so pacing stays on time. */
    private ScheduledExecutorService pacer;
    private ThreadPoolExecutor senders;
    private final AtomicBoolean pollScheduledSoon = new AtomicBoolean();
    /** At the last claim every lane was full (only new numbers' messages could be claimed). */
    private volatile boolean allLanesFull;

    /** Meta accepted it: recorded by {@link #recordAccepted} with others in one transaction (one commit). */
    private record Accepted(OutboundQueue.Item item, String wamid) {
    }

    /** Accepted sends waiting for their group commit; full, it makes senders wait (the database sets the pace). */
    private final LinkedBlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>(1000);
    private volatile boolean recording;
    private Thread recorder;

    SendingWorker(OutboundQueue queue, SendingSettings settings, OutboundMessages outbound,
                  IntegrationClients clients, IntegrationDirectory directory, IntegrationSignals signals,
                  TransactionTemplate tx, JsonMapper json, SendingMetrics metrics,
                  @Value("${parley.sending.auto-start:true}") boolean autoStart,
                  @Value("${parley.sending.threads:256}") int threads,
                  @Value("${parley.sending.poll-interval:PT0.1S}") Duration pollInterval,
                  @Value("${parley.sending.lease:PT60S}") Duration lease,
                  @Value("${parley.sending.batch:500}") int batch,
                  @Value("${parley.sending.max-retry-time:PT1H}") Duration maxRetryTime,
                  @Value("${parley.sending.backoff-base:PT1S}") Duration backoffBase,
                  @Value("${parley.sending.backoff-max:PT5M}") Duration backoffMax,
                  @Value("${parley.sending.retry-delay-scale:1.0}") double delayScale,
                  @Value("${parley.sending.throughput-pause:PT0.25S}") Duration throughputPause) {
        this.queue = queue;
        this.settings = settings;
        this.outbound = outbound;
        this.clients = clients;
        this.directory = directory;
        this.signals = signals;
        this.tx = tx;
        this.json = json;
        this.autoStart = autoStart;
        this.threads = threads;
        this.pollInterval = pollInterval;
        this.lease = lease;
        this.batch = batch;
        this.maxRetryTime = maxRetryTime;
        this.backoffBase = backoffBase;
        this.backoffMax = backoffMax;
        this.delayScale = delayScale;
        this.throughputPause = throughputPause;
        this.metrics = metrics;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public boolean isAutoStartup() {
        return autoStart;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            node = "node-" + UUID.randomUUID();
            AtomicInteger n = new AtomicInteger();
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "parley-sending-poller"));
            pacer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "parley-sending-pacer"));
            // no queue in front of the senders: a paced send starts at once, so pacing holds on the wire too
            senders = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    r -> daemon(r, "parley-sending-" + n.incrementAndGet()));
            running = true;
            recording = true;
            recorder = daemon(this::recordAccepted, "parley-sending-recorder");
            recorder.start();
            scheduler.execute(this::pollLoop);
            log.info("Sending worker {} started ({} threads)", node, threads);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            running = false;
            scheduler.shutdownNow();
            pacer.shutdownNow();
            senders.shutdown();
            try {
                if (!senders.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("Sending worker {}: sends still in flight after 30 s", node);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            recording = false; // the recorder stores what is left, then ends
            try {
                recorder.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<UUID> unsent = new ArrayList<>();
            for (Lane lane : lanes.values()) {
                OutboundQueue.Item item;
                while ((item = lane.items.poll()) != null) {
                    unsent.add(item.messageId());
                }
            }
            lanes.clear();
            queue.release(node, unsent);
            log.info("Sending worker {} stopped; {} claimed messages given back", node, unsent.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    // ---------------------------------------------------------------- claiming

    /** A message was queued: claim soon rather than at the next poll. */
    void wakeUp() {
        if (running && pollScheduledSoon.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    pollScheduledSoon.set(false);
                    pollOnce();
                });
            } catch (RuntimeException e) {
                pollScheduledSoon.set(false);
            }
        }
    }

    private void pollLoop() {
        if (!running) {
            return;
        }
        int claimed = pollOnce();
        // every lane full and nothing else due: a claim would only scan the backlog again (on H2 a read of every due
        // row: most of the poller's CPU in run H), so wait four intervals; a lane keeps a second of sending, and a
        // newly queued message wakes the poller at once anyway
        long next = claimed >= batch ? 5 : claimed == 0 && allLanesFull ? 4 * pollInterval.toMillis()
                : pollInterval.toMillis();
        try {
            scheduler.schedule(this::pollLoop, next, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // shutting down
        }
    }

    private synchronized int pollOnce() {
        if (!running) {
            return 0;
        }
        try {
            List<String> full = new ArrayList<>();
            for (Lane lane : lanes.values()) {
                if (lane.items.size() >= lane.capacity()) {
                    full.add(lane.phoneNumberId);
                }
                lane.pump();
            }
            allLanesFull = !lanes.isEmpty() && full.size() == lanes.size();
            List<OutboundQueue.Item> items = queue.claim(node, Instant.now(), lease, batch, full);
            for (OutboundQueue.Item item : items) {
                lane(item).items.add(item);
            }
            for (Lane lane : lanes.values()) {
                lane.pump();
            }
            return items.size();
        } catch (RuntimeException e) {
            log.warn("Sending worker {}: claiming failed: {}", node, e.toString());
            return 0;
        }
    }

    private Lane lane(OutboundQueue.Item item) {
        Lane lane = lanes.computeIfAbsent(item.phoneNumberId(), pn -> new Lane(pn, item.integrationId()));
        lane.integrationId = item.integrationId();
        return lane;
    }

    /** The integration's rate changed on this node: its lane's window takes the new rate. */
    void rateChanged(UUID integrationId) {
        for (Lane lane : lanes.values()) {
            if (integrationId.equals(lane.integrationId)) {
                lane.rate = -1;
                lane.pump();
            }
        }
    }

    // ---------------------------------------------------------------- lanes

    /** One phone number: its claimed messages, oldest first, and its sliding second ({@link SendWindow}). */
    private final class Lane {
        final String phoneNumberId;
        volatile UUID integrationId;
        final ConcurrentLinkedDeque<OutboundQueue.Item> items = new ConcurrentLinkedDeque<>();
        final AtomicBoolean pumping = new AtomicBoolean();
        final AtomicBoolean again = new AtomicBoolean();
        final AtomicBoolean wakeScheduled = new AtomicBoolean();
        final Map<String, Instant> recipientWaitsUntil = new ConcurrentHashMap<>();
        volatile int rate = -1;
        volatile SendWindow window;
        /** After Meta's 130429: no send starts before this (nanoTime); the pause began at {@link #pauseStarted}. */
        volatile long pausedUntil = System.nanoTime();
        volatile long pauseStarted = pausedUntil - TimeUnit.DAYS.toNanos(1);
        /** Since when the message at the head has been waiting for the rate (nanoTime), 0 when it is not. */
        long blockedSince;

        Lane(String phoneNumberId, UUID integrationId) {
            this.phoneNumberId = phoneNumberId;
            this.integrationId = integrationId;
        }

        /**
         * How many claimed messages the lane keeps: a second of sending at the configured rate, ten times what the
         * poller's interval needs. More only waits: on a machine too slow for the rate, claims of two seconds' worth
         * outlived half their lease in the lane and were given back and claimed again (a commit each), which took a
         * quarter of the server's CPU in the sending benchmark (run H).
         */
        int capacity() {
            return Math.max(20, Math.max(rate, 1));
        }

        /** The lane's window at the integration's rate (cached by {@link SendingSettings}; a change applies at once). */
        SendWindow window() {
            SendWindow w = window;
            int wanted = settings.rate(integrationId);
            if (w == null) {
                synchronized (this) {
                    if (window == null) {
                        window = new SendWindow(wanted);
                    }
                    w = window;
                }
            }
            if (wanted != rate) {
                w.limit(wanted);
                rate = wanted;
            }
            return w;
        }

        /** A send of this lane was answered (or failed) now. */
        void answered(long extraNanos) {
            window.answered(System.nanoTime(), extraNanos);
            if (!items.isEmpty()) {
                pump();
            }
        }

        /** Meta answered 130429 to a send started at {@code startedNanos}: pause, unless a pause began since. */
        void throughputReached(long startedNanos) {
            synchronized (this) {
                if (startedNanos - pauseStarted <= 0) {
                    return; // started before the current pause: that pause already answers it
                }
                long now = System.nanoTime();
                pauseStarted = now;
                pausedUntil = now + throughputPause.toNanos();
            }
            metrics.throughputPause();
        }

        /** Starts as many sends as the lane's window allows; runs on one thread at a time, again if asked meanwhile. */
        void pump() {
            again.set(true);
            while (running && again.get() && pumping.compareAndSet(false, true)) {
                again.set(false);
                long waitNanos;
                try {
                    waitNanos = pumpOnce();
                } finally {
                    pumping.set(false);
                }
                if (waitNanos > 0 && wakeScheduled.compareAndSet(false, true)) {
                    try {
                        pacer.schedule(() -> {
                            wakeScheduled.set(false);
                            pump();
                        }, waitNanos, TimeUnit.NANOSECONDS);
                    } catch (RuntimeException e) {
                        wakeScheduled.set(false);
                    }
                }
            }
        }

        /** Answers how long to wait before pumping again (0: until something happens). */
        private long pumpOnce() {
            List<UUID> stale = new ArrayList<>();
            try {
                return startSends(stale);
            } finally {
                if (!stale.isEmpty()) {
                    try {
                        queue.release(node, stale); // one statement (one commit) for all of them
                    } catch (RuntimeException e) {
                        // their claims lapse by themselves; then they are claimed again
                        log.warn("Sending worker {}: giving back {} claims failed: {}", node, stale.size(), e.toString());
                    }
                }
            }
        }

        private long startSends(List<UUID> stale) {
            try {
                SendWindow w = window();
                Instant now = Instant.now();
                OutboundQueue.Item item;
                while (running && (item = items.peek()) != null) {
                    Instant heldUntil = held.get(item.integrationId());
                    if (heldUntil != null && heldUntil.isAfter(now)) {
                        items.remove(item); // queued after the hold began: held too
                        queue.holdOne(item.messageId());
                        continue;
                    }
                    if (Duration.between(Instant.now(), item.claimedUntil()).compareTo(lease.dividedBy(2)) < 0) {
                        // half its lease is gone: give it back rather than risk two senders (the other half covers
                        // the Graph call's timeout and the wait for the recorder's commit)
                        items.remove(item);
                        stale.add(item.messageId());
                        continue;
                    }
                    Instant wait = recipientWaitsUntil.get(item.recipient());
                    if (wait != null && wait.isAfter(now)) {
                        items.remove(item);
                        queue.retryAt(item.messageId(), wait, null, null);
                        continue;
                    }
                    long t = System.nanoTime();
                    long paused = pausedUntil - t;
                    long toWait = paused > 0 ? paused : w.tryStart(t);
                    if (toWait != 0) {
                        if (blockedSince == 0) {
                            blockedSince = t;
                        }
                        return Math.max(0, toWait); // -1: only sends in flight fill the window; their answers pump
                    }
                    if (blockedSince != 0) {
                        metrics.pacingWait(t - blockedSince);
                        blockedSince = 0;
                    }
                    items.remove(item);
                    OutboundQueue.Item toSend = item;
                    inFlight.incrementAndGet();
                    try {
                        senders.execute(() -> {
                            try {
                                send(this, toSend, t);
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        });
                    } catch (RuntimeException rejected) {
                        // every sender busy: the message goes back to the front and the lane waits a little
                        inFlight.decrementAndGet();
                        w.notSent();
                        items.addFirst(toSend);
                        return TimeUnit.MILLISECONDS.toNanos(5);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Sending worker {}: lane {} failed: {}", node, phoneNumberId, e.toString());
                return TimeUnit.MILLISECONDS.toNanos(100);
            }
            return 0;
        }
    }

    // ---------------------------------------------------------------- one send

    /** Sends one message that took a place in its lane's window at {@code startedNanos}. */
    private void send(Lane lane, OutboundQueue.Item item, long startedNanos) {
        long extra = 0;
        boolean answered = false;
        try {
            IntegrationRoute route = directory.byId(item.integrationId()).orElse(null);
            if (route == null) {
                lane.window.notSent();
                answered = true;
                metrics.outcome("failed", "integration_deleted");
                finishFailed(item, null, "Integration deleted",
                        "The integration was deleted before the message could be sent.", null);
                return;
            }
            if (!route.enabled()) {
                lane.window.notSent();
                answered = true;
                metrics.outcome("held", "integration_disabled");
                hold(item.integrationId(), "integration disabled");
                return;
            }
            JsonNode body = json.readTree(item.body());
            GraphClient client = graphClients.computeIfAbsent(item.integrationId(),
                    id -> clients.forIntegration(item.orgId(), id));
            SendResult result;
            try {
                result = client.sendJson(item.phoneNumberId(), body);
            } catch (GraphException e) {
                // a send that timed out may still reach Meta a little later: it keeps its place a second longer
                extra = e instanceof GraphTransportException t && t.timedOut() ? SendWindow.SECOND : 0;
                lane.answered(extra);
                answered = true;
                onGraphError(lane, item, e, startedNanos);
                return;
            }
            lane.answered(0);
            answered = true;
            try {
                accepted.put(new Accepted(item, result.messageId()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                recordOne(new Accepted(item, result.messageId()));
            }
        } catch (RuntimeException e) {
            log.warn("Sending {} failed locally: {}", item.messageId(), e.toString());
            metrics.outcome(retry(item, Duration.ZERO, e.toString(), null, "Local error", e.toString(), null)
                    ? "retried" : "failed", "local");
        } finally {
            if (!answered) {
                lane.answered(extra); // whatever happened, the request may have left
            }
        }
    }

    /**
     * The recorder thread: stores Meta's answers (the wamid, and the queue row deleted) up to 500 in one transaction,
     * so that a number sending 1,000 messages a second costs the database a few commits a second, not 1,000. A crash
     * before the commit sends those messages again after the restart, as a crash between Meta's answer and its
     * record always could (Meta's send API has no idempotency key); the batch only adds the milliseconds it waits.
     */
    private void recordAccepted() {
        List<Accepted> batch = new ArrayList<>(500);
        while (recording || !accepted.isEmpty()) {
            try {
                Accepted first = accepted.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                accepted.drainTo(batch, 499);
                try {
                    Map<UUID, Map<UUID, String>> byIntegration = new LinkedHashMap<>();
                    List<UUID> ids = new ArrayList<>(batch.size());
                    for (Accepted a : batch) {
                        byIntegration.computeIfAbsent(a.item().integrationId(), k -> new LinkedHashMap<>())
                                .put(a.item().messageId(), a.wamid());
                        ids.add(a.item().messageId());
                    }
                    tx.executeWithoutResult(s -> {
                        byIntegration.forEach(outbound::acceptedAll);
                        queue.deleteAll(ids);
                    });
                    metrics.outcomes("sent", "none", batch.size());
                } catch (RuntimeException e) {
                    log.warn("Sending worker {}: recording {} accepted sends together failed ({}); one by one",
                            node, batch.size(), e.toString());
                    batch.forEach(this::recordOne);
                }
            } catch (InterruptedException e) {
                // stop() waits for the rest: keep going until nothing is left
            } catch (RuntimeException e) {
                log.warn("Sending worker {}: recorder: {}", node, e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    private void recordOne(Accepted a) {
        OutboundQueue.Item item = a.item();
        try {
            tx.executeWithoutResult(s -> {
                outbound.accepted(item.messageId(), a.wamid());
                queue.delete(item.messageId());
            });
            metrics.outcome("sent", "none");
        } catch (RuntimeException e) {
            log.warn("Sending {}: Meta accepted it as {} but recording that failed: {}", item.messageId(), a.wamid(),
                    e.toString());
            metrics.outcome(retry(item, Duration.ZERO, e.toString(), null, "Local error", e.toString(), null)
                    ? "retried" : "failed", "local");
        }
    }

    /** The error's code for the metrics: Meta's code, else the HTTP status or how the call failed. */
    static String code(GraphException e) {
        if (e instanceof GraphApiException api) {
            return api.code() == GraphApiException.NO_ERROR_OBJECT ? "http_" + api.httpStatus()
                    : String.valueOf(api.code());
        }
        if (e instanceof GraphTransportException t) {
            return t.kind().name().toLowerCase(java.util.Locale.ROOT);
        }
        return "unknown";
    }

    private void onGraphError(Lane lane, OutboundQueue.Item item, GraphException e, long startedNanos) {
        GraphApiException api = e instanceof GraphApiException a ? a : null;
        Integer code = api == null || api.code() == GraphApiException.NO_ERROR_OBJECT ? null : api.code();
        String title = api == null ? "Could not reach the Graph API" : title(api);
        String message = api == null ? e.getMessage() : api.message() != null ? api.message() : e.getMessage();
        String details = api == null ? null : api.details();
        String metricCode = code(e);
        switch (e.classification()) {
            case PERMANENT -> {
                metrics.outcome("failed", metricCode);
                finishFailed(item, code, title, message, details);
            }
            case REAUTHORIZE -> {
                metrics.outcome("held", metricCode);
                hold(item.integrationId(), "Meta refused the access token (" + code + ")");
                try {
                    signals.credentialsRejected(item.integrationId(), code == null ? 190 : code,
                            message == null ? "access token refused" : message);
                } catch (RuntimeException ex) {
                    log.warn("Could not report rejected credentials: {}", ex.toString());
                }
            }
            case RETRYABLE -> {
                Duration after = e.retryAfter().orElse(Duration.ZERO);
                if (api != null && api.code() == 130429) {
                    // Meta says the number is over its throughput: pause the whole lane briefly
                    lane.throughputReached(startedNanos);
                }
                boolean retried;
                if (api != null && api.recipientScoped()) {
                    Instant until = Instant.now().plus(delay(after, item.attempts()));
                    lane.recipientWaitsUntil.put(item.recipient(), until);
                    queue.delayRecipient(item.integrationId(), item.recipient(), until);
                    retried = retryAt(item, until, describe(e), code, title, message, details);
                } else {
                    retried = retry(item, after, describe(e), code, title, message, details);
                }
                metrics.outcome(retried ? "retried" : "failed", metricCode);
            }
        }
    }

    private static String title(GraphApiException api) {
        if (api.errorUserTitle() != null) {
            return api.errorUserTitle();
        }
        String m = api.message();
        if (m != null && m.startsWith("(#")) {
            int close = m.indexOf(')');
            if (close > 0 && close + 1 < m.length()) {
                return m.substring(close + 1).trim();
            }
        }
        return m;
    }

    private static String describe(GraphException e) {
        return e.getMessage();
    }

    /** Answers false when the message ended failed instead (it has been retried for too long). */
    private boolean retry(OutboundQueue.Item item, Duration after, String error, Integer code, String title,
                          String message, String details) {
        return retryAt(item, Instant.now().plus(delay(after, item.attempts())), error, code, title, message, details);
    }

    private boolean retryAt(OutboundQueue.Item item, Instant at, String error, Integer code, String title,
                            String message, String details) {
        Instant now = Instant.now();
        Instant since = item.failingSince() == null ? now : item.failingSince();
        if (at.isAfter(since.plus(maxRetryTime))) {
            finishFailed(item, code, title, message == null ? error : message + " (gave up after retrying for "
                    + Duration.between(since, now).toSeconds() + " s)", details);
            return false;
        }
        queue.retryAt(item.messageId(), at, now, error);
        return true;
    }

    /** Exponential backoff with jitter, never below Meta's suggested wait, scaled (tests shrink it). */
    Duration delay(Duration suggested, int attempts) {
        long base = backoffBase.toMillis();
        long exp = base << Math.min(attempts, 20);
        long capped = Math.min(backoffMax.toMillis(), Math.max(exp, suggested.toMillis()));
        long jittered = capped + ThreadLocalRandom.current().nextLong(capped / 4 + 1);
        return Duration.ofMillis(Math.max(1, (long) (jittered * delayScale)));
    }

    private void finishFailed(OutboundQueue.Item item, Integer code, String title, String message, String details) {
        tx.executeWithoutResult(s -> {
            outbound.failed(item.messageId(), code, title, message, details);
            queue.delete(item.messageId());
        });
    }

    // ---------------------------------------------------------------- hold and resume

    private void hold(UUID integrationId, String why) {
        held.put(integrationId, Instant.now().plus(lease));
        int n = queue.hold(integrationId);
        List<UUID> purged = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            for (Iterator<OutboundQueue.Item> it = lane.items.iterator(); it.hasNext(); ) {
                OutboundQueue.Item i = it.next();
                if (i.integrationId().equals(integrationId)) {
                    it.remove();
                    purged.add(i.messageId());
                }
            }
        }
        queue.release(node, purged);
        log.warn("Holding {} queued messages of integration {}: {}", n, integrationId, why);
    }

    @EventListener
    void integrationChanged(IntegrationChanged event) {
        graphClients.remove(event.integrationId());
        switch (event.kind()) {
            case UPDATED, CREATED -> {
                held.remove(event.integrationId());
                boolean enabled = directory.byId(event.integrationId()).map(IntegrationRoute::enabled).orElse(false);
                if (enabled) {
                    int n = queue.resume(event.integrationId(), Instant.now());
                    if (n > 0) {
                        log.info("Resuming {} held messages of integration {}", n, event.integrationId());
                        wakeUp();
                    }
                }
            }
            case DELETED -> {
                for (UUID id : queue.messagesOf(event.integrationId())) {
                    tx.executeWithoutResult(s -> {
                        outbound.failed(id, null, "Integration deleted",
                                "The integration was deleted before the message could be sent.", null);
                        queue.delete(id);
                    });
                }
            }
            default -> {
            }
        }
    }
}
