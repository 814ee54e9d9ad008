package dev.parley.server.jobs;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Lets background work give way to webhook acknowledgements during a burst. The webhook writer reports
 * {@linkplain #pressure() pressure} whenever several deliveries wait for the same commit; while it lasts, the
 * background workers (webhook processing, media downloads) run one batch at a time with a pause between
 * ({@link #giveWay}), so the two cores go to answering Meta, whose deliveries are durable once answered and are
 * processed right after. On the embedded database this matters most: every commit, whoever makes it, writes the
 * changed pages inside Parley's process.
 *
 * <p>It is bounded: after {@code burst} of uninterrupted pressure the workers stop giving way (a sustained load
 * is shared as before, so processing never falls more than about {@code burst} behind), and a worker never waits
 * longer than the pause it asks for.
 */
@Component
public class AckPriority {

    private final long holdNanos;
    private final long burstNanos;
    private volatile long pressureUntil = System.nanoTime();
    private volatile long pressureSince = System.nanoTime();

    public AckPriority(@Value("${parley.webhook.ack-priority-hold:PT0.2S}") Duration hold,
                       @Value("${parley.webhook.ack-priority-burst:PT30S}") Duration burst) {
        this.holdNanos = hold.toNanos();
        this.burstNanos = burst.toNanos();
    }

    /** Several acknowledgements are waiting right now. */
    public void pressure() {
        long now = System.nanoTime();
        if (now - pressureUntil > 0) {
            pressureSince = now; // a new burst
        }
        pressureUntil = now + holdNanos;
    }

    /** Whether background work should wait: acknowledgements are pressing, and not for longer than the burst. */
    public boolean pressing() {
        long now = System.nanoTime();
        return burstNanos > 0 && now - pressureUntil < 0 && now - pressureSince < burstNanos;
    }

    /** Waits while acknowledgements are pressing, at most {@code max}. */
    public void giveWay(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (pressing() && System.nanoTime() - end < 0) {
            Thread.sleep(10);
        }
    }
}
