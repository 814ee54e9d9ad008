package dev.parley.server.media;

import dev.parley.server.jobs.AckPriority;
import dev.parley.server.jobs.PollingLoop;
import dev.parley.server.messaging.InboundMessageStored;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Inbound media downloads, in their own step after the message is stored. The job row is written in the very
 * transaction that stores the message ({@link InboundMessageStored} is published inside it), so a crash can
 * never leave a stored media message without its download job, and storing never waits for Meta. After the
 * commit the worker is woken; it also polls, which picks up retries, other nodes' work and claims of dead nodes.
 */
@Component
class MediaWorker implements SmartLifecycle {

    /** Jobs claimed at a time. */
    private static final int BATCH = 20;
    /** Outcomes are recorded together, but not later than this after the first of them (downloads can be slow). */
    private static final long RECORD_WITHIN_NANOS = 1_000_000_000L;
    /** The longest pause between two batches while webhook acknowledgements are pressing. */
    private static final java.time.Duration GIVE_WAY = java.time.Duration.ofSeconds(1);

    private final MediaStore store;
    private final MediaDownloader downloader;
    private final MediaSettings settings;
    private final AckPriority priority;
    private final PollingLoop loop;

    MediaWorker(MediaStore store, MediaDownloader downloader, MediaSettings settings, AckPriority priority) {
        this.store = store;
        this.downloader = downloader;
        this.settings = settings;
        this.priority = priority;
        this.loop = new PollingLoop("media-downloads", settings.pollInterval(), this::step);
    }

    /** A batch; more at once when the batch was full, after a pause while webhook acknowledgements are pressing. */
    private boolean step() throws InterruptedException {
        int n = runOnce();
        if (n > 0 && priority.pressing()) {
            priority.giveWay(GIVE_WAY);
        }
        return n == BATCH;
    }

    /** In the storing transaction: the download job commits (or rolls back) with the message. */
    @EventListener
    void enqueue(InboundMessageStored e) {
        if (e.mediaId() != null && !e.mediaId().isBlank()) {
            store.enqueue(e.messageId(), e.orgId(), e.integrationId(), e.mediaId(), e.type(), e.mimeType(),
                    e.sha256());
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void committed(InboundMessageStored e) {
        if (e.mediaId() != null) {
            wake();
        }
    }

    void wake() {
        loop.wake();
    }

    /**
     * Claims and runs due downloads once; answers how many ran. Their outcomes are recorded in one transaction (or
     * a few, when downloads are slow). When the Graph API of an integration cannot be reached at all, its other
     * jobs of the batch are not tried: they fail the same way and wait their backoff (a Graph outage would
     * otherwise cost a connection attempt, or its timeout, per media file).
     */
    int runOnce() {
        List<MediaStore.Job> jobs = store.claim(BATCH, settings.lease());
        long claimed = System.nanoTime();
        List<MediaStore.Outcome> outcomes = new ArrayList<>();
        Map<UUID, String> unreachable = new HashMap<>();
        long first = 0;
        try {
            for (MediaStore.Job job : jobs) {
                if (System.nanoTime() - claimed > settings.lease().toNanos() / 2) {
                    // slow downloads used half the batch's lease: the rest are not started (a job whose lease ran
                    // out could be claimed again meanwhile and downloaded twice); they are claimed again once their
                    // lease is over
                    break;
                }
                String down = unreachable.get(job.integrationId());
                if (down != null) {
                    outcomes.add(downloader.failed(job, down));
                } else {
                    MediaDownloader.Attempt a = downloader.run(job);
                    outcomes.add(a.outcome());
                    if (a.unreachable()) {
                        unreachable.put(job.integrationId(), ((MediaStore.Failed) a.outcome()).error());
                    }
                }
                if (outcomes.size() == 1) {
                    first = System.nanoTime();
                } else if (System.nanoTime() - first > RECORD_WITHIN_NANOS) {
                    store.record(outcomes);
                    outcomes.clear();
                }
            }
        } finally {
            // a job whose outcome is not recorded (the node stops) is claimed again when its lease runs out
            store.record(outcomes);
        }
        return jobs.size();
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }
}
