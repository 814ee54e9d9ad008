package dev.parley.server.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * One background thread that runs a step of work again and again: at once while the step says more is waiting,
 * otherwise after {@link #wake()} or when the poll interval has passed, whichever comes first (polling picks up
 * retries that fall due, other nodes' work and the claims of dead nodes). A failing step is logged and retried
 * after the interval; the loop never dies of it. {@link #stop()} interrupts the step and waits for the thread.
 * The features' workers (webhook processing, media downloads, template syncs) each own one.
 */
public final class PollingLoop {

    /** One round of work. */
    @FunctionalInterface
    public interface Step {
        /** Does what is due; answers true when more is waiting (the loop runs again without waiting). */
        boolean runOnce() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(PollingLoop.class);

    private final String name;
    private final Duration interval;
    private final Step step;
    private final Object signal = new Object();
    private boolean signalled;
    private volatile boolean running;
    private Thread thread;

    public PollingLoop(String name, Duration interval, Step step) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the poll interval of " + name + " must be positive: " + interval);
        }
        this.name = name;
        this.interval = interval;
        this.step = step;
    }

    /** Starts the thread (a daemon named {@code parley-<name>}); does nothing when already running. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "parley-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread, waiting up to five seconds for the step in progress. */
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** Work may be waiting: the loop runs its step now instead of at the end of its interval. */
    public void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                if (!step.runOnce()) {
                    synchronized (signal) {
                        if (!signalled) {
                            signal.wait(interval.toMillis());
                        }
                        signalled = false;
                    }
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                log.warn("{}: {}", name, e.toString());
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException ie) {
                    if (!running) {
                        return;
                    }
                }
            }
        }
    }
}
