package dev.parley.server.webhook;

import java.time.Duration;

/** Tells the processor that new work was committed, so it does not wait for its next poll. */
final class WakeSignal {

    private boolean signalled;

    synchronized void wake() {
        signalled = true;
        notifyAll();
    }

    /** Waits until woken or the timeout passes; clears the signal. */
    synchronized void await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!signalled) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        signalled = false;
    }
}
