package dev.parley.server.media;

import dev.parley.server.jobs.PollingLoop;
import dev.parley.server.messaging.InboundMessageStored;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.List;

/**
 * Inbound media downloads, in their own step after the message is stored. The job row is written in the very
 * transaction that stores the message ({@link InboundMessageStored} is published inside it), so a crash can
 * never leave a stored media message without its download job, and storing never waits for Meta. After the
 * commit the worker is woken; it also polls, which picks up retries, other nodes' work and claims of dead nodes.
 */
@Component
class MediaWorker implements SmartLifecycle {

    private static final int BATCH = 5;

    private final MediaStore store;
    private final MediaDownloader downloader;
    private final MediaSettings settings;
    private final PollingLoop loop;

    MediaWorker(MediaStore store, MediaDownloader downloader, MediaSettings settings) {
        this.store = store;
        this.downloader = downloader;
        this.settings = settings;
        this.loop = new PollingLoop("media-downloads", settings.pollInterval(), () -> runOnce() == BATCH);
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

    /** Claims and runs due downloads once; answers how many ran. */
    int runOnce() {
        List<MediaStore.Job> jobs = store.claim(BATCH, settings.lease());
        for (MediaStore.Job job : jobs) {
            downloader.run(job);
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
