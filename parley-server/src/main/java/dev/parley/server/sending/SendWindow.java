package dev.parley.server.sending;

import java.util.PriorityQueue;

/**
 * One phone number's sliding second, kept from Parley's side so that it holds at Meta's side.
 * <p>
 * Meta accepts a send at some instant between the moment Parley starts it and the moment Parley has Meta's answer.
 * So a send <em>occupies</em> the window from when it starts until one second after its answer came back: a send
 * whose answer arrived at {@code r} was accepted at or before {@code r}, hence more than one second before anything
 * started after {@code r + 1 s}. A new send may start only while fewer than {@code limit} sends occupy the window
 * (those in flight, and those answered less than a second ago). Then no one-second window at Meta holds more than
 * {@code limit} acceptances, whatever the network, the machine's load or the thread scheduling did: take the last
 * started of the sends Meta accepted in any such window, {@code m}; every other one started before {@code m} and was
 * accepted later than one second before {@code m} started, so when {@code m} started it was in flight or answered
 * less than a second before: it occupied the window, and {@code m} started only because fewer than {@code limit}
 * sends did.
 * <p>
 * The price is the round trip: in a steady flow each send occupies the window for {@code 1 s + round trip}, so a
 * number reaches {@code limit / (1 s + round trip)} per second (1,000/s with a 2 ms round trip: 998/s).
 * Unlike a token bucket, no share of the rate has to be kept back for jitter.
 * <p>
 * Starts are also spread out (at most one per {@code 1/limit} seconds, with {@link #BURST} of tolerance: the
 * generic cell rate algorithm), so that a number's second is not one burst followed by silence; this spacing is
 * for smoothness only, the window above is what keeps the bound.
 * <p>
 * At most {@link #maxInFlight} sends (half a second's worth of the rate) are in flight at once: Meta's round trips
 * of 100-300 ms still let a number reach its full rate, but a slowed-down Meta (or network) is not sent up to a
 * full second's worth of concurrent requests, which would only make timeouts, and messages sent twice, likelier.
 * Like the spacing, the cap only ever holds a start back, so the bound above still holds.
 * <p>
 * Thread-safe; {@code now} values are {@link System#nanoTime()}.
 */
final class SendWindow {

    static final long SECOND = 1_000_000_000L;
    /** Added to every occupation: Meta's clock and ours may tick at slightly different speeds. */
    static final long MARGIN = 1_000_000L;

    /** How far ahead of its even spacing a start may be (a short burst): 20 ms' worth of the rate. */
    static final long BURST = 20_000_000L;

    /** The spacing's theoretical start time of the next send (nanoTime), GCRA's TAT. */
    private long nextStart = Long.MIN_VALUE;
    /** Answer time + one second of the answered sends that still occupy the window, earliest first. */
    private final PriorityQueue<Long> expiries = new PriorityQueue<>();
    private int inFlight;
    private int limit;

    SendWindow(int limit) {
        this.limit = Math.max(1, limit);
    }

    synchronized void limit(int limit) {
        this.limit = Math.max(1, limit);
    }

    /** How many sends may be in flight at once at this limit: half a second's worth, at least one. */
    static int maxInFlight(int limit) {
        return Math.max(1, (limit + 1) / 2);
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int limit() {
        return limit;
    }

    /**
     * Starts a send if the window has room. Answers 0 when it may start (it then occupies the window until
     * {@link #answered} or {@link #notSent}), otherwise how many nanoseconds until a place frees up, or -1 when
     * only an answer can free one (only sends in flight occupy the window, or {@link #maxInFlight} are in flight).
     */
    synchronized long tryStart(long now) {
        Long head;
        while ((head = expiries.peek()) != null && head - now <= 0) {
            expiries.poll();
        }
        if (inFlight + expiries.size() >= limit) {
            return head == null ? -1 : Math.max(1, head - now);
        }
        if (inFlight >= maxInFlight(limit)) {
            return -1; // a place frees up when one is answered
        }
        long interval = SECOND / limit;
        if (nextStart != Long.MIN_VALUE && nextStart - BURST - now > 0) {
            return nextStart - BURST - now;
        }
        nextStart = (nextStart == Long.MIN_VALUE || nextStart - now < 0 ? now : nextStart) + interval;
        inFlight++;
        return 0;
    }

    /** A started send was answered (or failed) at {@code now}; it occupies the window for {@code 1 s + extra} more. */
    synchronized void answered(long now, long extraNanos) {
        inFlight--;
        expiries.add(now + SECOND + MARGIN + Math.max(0, extraNanos));
    }

    /** A started send never left (nothing to send it with): its place is free at once. */
    synchronized void notSent() {
        inFlight--;
    }

    synchronized int occupied(long now) {
        while (!expiries.isEmpty() && expiries.peek() - now <= 0) {
            expiries.poll();
        }
        return inFlight + expiries.size();
    }
}
