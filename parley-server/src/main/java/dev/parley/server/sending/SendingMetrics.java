package dev.parley.server.sending;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Sending's meters (on {@code /actuator/prometheus}): the outbound queue's depth by state, every send's outcome by
 * Meta's error code, and the waits for a number's rate.
 */
@Component
class SendingMetrics {

    private static final Logger log = LoggerFactory.getLogger(SendingMetrics.class);
    private static final long DEPTH_TTL_NANOS = 1_000_000_000L;

    private final OutboundQueue queue;
    private final MeterRegistry meters;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Timer pacingWait;
    private final Counter throughputPauses;
    private volatile OutboundQueue.Depth depth = new OutboundQueue.Depth(0, 0, 0, 0);
    private volatile long depthAt = System.nanoTime() - 2 * DEPTH_TTL_NANOS;

    SendingMetrics(OutboundQueue queue, ObjectProvider<MeterRegistry> registry) {
        this.queue = queue;
        this.meters = registry.getIfAvailable(SimpleMeterRegistry::new);
        gauge("ready", OutboundQueue.Depth::ready);
        gauge("waiting", OutboundQueue.Depth::waiting);
        gauge("claimed", OutboundQueue.Depth::claimed);
        gauge("held", OutboundQueue.Depth::held);
        pacingWait = Timer.builder("parley.sending.pacing.wait")
                .description("how long a message ready to go waited for its number's rate")
                .publishPercentiles(0.5, 0.99, 0.999).register(meters);
        throughputPauses = Counter.builder("parley.sending.throughput.pauses")
                .description("times a number paused because Meta answered 130429 (throughput reached)")
                .register(meters);
    }

    private void gauge(String state, ToLongFunction<OutboundQueue.Depth> f) {
        Gauge.builder("parley.sending.queue.depth", this, m -> f.applyAsLong(m.depth()))
                .description("messages in the outbound queue by state").tag("state", state).register(meters);
    }

    /** The queue's depth, read from the database at most once a second (one query for all four gauges). */
    private OutboundQueue.Depth depth() {
        long now = System.nanoTime();
        if (now - depthAt > DEPTH_TTL_NANOS) {
            synchronized (this) {
                if (now - depthAt > DEPTH_TTL_NANOS) {
                    try {
                        depth = queue.depth(Instant.now());
                    } catch (RuntimeException e) {
                        log.debug("Could not read the outbound queue's depth: {}", e.toString());
                    }
                    depthAt = System.nanoTime();
                }
            }
        }
        return depth;
    }

    /** One send's outcome: sent, retried, failed or held; {@code code}: Meta's error code or what failed. */
    void outcome(String outcome, String code) {
        outcomes(outcome, code, 1);
    }

    /** {@code n} sends with the same outcome (a group commit). */
    void outcomes(String outcome, String code, int n) {
        String key = outcome + '/' + code;
        outcomes.computeIfAbsent(key, k -> Counter.builder("parley.sending.outcomes")
                .description("sends by outcome and Meta's error code").tag("outcome", outcome).tag("code", code)
                .register(meters)).increment(n);
    }

    void pacingWait(long nanos) {
        pacingWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    void throughputPause() {
        throughputPauses.increment();
    }
}
