package dev.parley.server.messaging;

import dev.parley.server.web.LiveHub;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pushes committed conversation changes to the open inbox pages of their organization: {@code conversations}
 * (reload the list) and {@code conversation-<id>} (reload that thread). Changes are coalesced for a moment and sent
 * from a thread of their own, so a webhook batch of a thousand statuses becomes a few events and never waits for
 * a slow browser.
 */
@Component
class InboxLive {

    static final long COALESCE_MILLIS = 150;

    private final LiveHub hub;
    private final Set<ConversationUpdated> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "inbox-live");
        t.setDaemon(true);
        return t;
    });

    InboxLive(LiveHub hub) {
        this.hub = hub;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ConversationUpdated e) {
        if (hub.listeners(e.orgId()) == 0) {
            return;
        }
        pending.add(e);
        if (scheduled.compareAndSet(false, true)) {
            executor.schedule(this::flush, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void flush() {
        scheduled.set(false);
        List<ConversationUpdated> batch = new ArrayList<>(pending);
        pending.removeAll(batch);
        Set<UUID> orgs = ConcurrentHashMap.newKeySet();
        for (ConversationUpdated e : batch) {
            hub.publish(e.orgId(), "conversation-" + e.conversationId(), e.conversationId().toString());
            orgs.add(e.orgId());
        }
        orgs.forEach(org -> hub.publish(org, "conversations", ""));
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
