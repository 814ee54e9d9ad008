package dev.parley.server.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-Sent Events to the open pages of the web UI, per organization: a page subscribes once
 * ({@link #subscribe}), features {@link #publish} small named events ("something changed, reload this part")
 * and only the pages of that organization receive them. Pages reconnect on their own (htmx's SSE extension) when
 * a stream times out or the server restarts. One node only: several nodes would fan out through the database.
 */
@Component
public class LiveHub {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
    static final long TIMEOUT_MILLIS = 10 * 60 * 1000L;

    private final Map<UUID, Set<SseEmitter>> byOrg = new ConcurrentHashMap<>();

    /** A new stream for one open page of the organization. */
    public SseEmitter subscribe(UUID orgId) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        Set<SseEmitter> set = byOrg.computeIfAbsent(orgId, k -> ConcurrentHashMap.newKeySet());
        set.add(emitter);
        Runnable remove = () -> set.remove(emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        try {
            // an initial comment so that proxies and the browser see the stream open at once
            emitter.send(SseEmitter.event().comment("connected"));
        } catch (IOException | IllegalStateException e) {
            remove.run();
        }
        return emitter;
    }

    /** Sends the named event to every open page of the organization. Never throws. */
    public void publish(UUID orgId, String event, String data) {
        Set<SseEmitter> set = byOrg.get(orgId);
        if (set == null) {
            return;
        }
        for (SseEmitter emitter : set) {
            try {
                emitter.send(SseEmitter.event().name(event).data(data == null ? "" : data));
            } catch (IOException | IllegalStateException e) {
                set.remove(emitter);
                log.debug("dropped a closed live stream: {}", e.toString());
            }
        }
    }

    /**
     * Ends every open stream when Parley shuts down, before the web server's graceful shutdown starts: an open
     * stream is a request in progress, and the graceful shutdown would otherwise wait its whole timeout (30 s) for
     * streams that never end on their own. Pages reconnect to the next server by themselves.
     */
    @EventListener(ContextClosedEvent.class)
    public void closeAll() {
        byOrg.values().forEach(set -> {
            for (SseEmitter emitter : set) {
                try {
                    emitter.complete();
                } catch (RuntimeException e) {
                    log.debug("could not end a live stream: {}", e.toString());
                }
            }
            set.clear();
        });
    }

    /** How many pages of the organization are listening (for tests and metrics). */
    public int listeners(UUID orgId) {
        Set<SseEmitter> set = byOrg.get(orgId);
        return set == null ? 0 : set.size();
    }
}
