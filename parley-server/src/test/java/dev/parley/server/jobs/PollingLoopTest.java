package dev.parley.server.jobs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The shared worker loop: woken work runs at once, a backlog is drained, a failing step does not end the loop. */
class PollingLoopTest {

    private static final Duration LONG = Duration.ofHours(1);
    private final List<PollingLoop> loops = new ArrayList<>();

    private PollingLoop loop(Duration interval, PollingLoop.Step step) {
        PollingLoop l = new PollingLoop("test", interval, step);
        loops.add(l);
        return l;
    }

    @AfterEach
    void stopAll() {
        loops.forEach(PollingLoop::stop);
    }

    @Test
    void aWakeRunsTheStepWithoutWaitingForTheInterval() {
        AtomicInteger runs = new AtomicInteger();
        PollingLoop l = loop(LONG, () -> {
            runs.incrementAndGet();
            return false;
        });
        l.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1); // the first round runs at start
        l.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
        l.wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 3);
    }

    @Test
    void aBacklogIsDrainedWithoutWaitingBetweenRounds() {
        AtomicInteger left = new AtomicInteger(50);
        PollingLoop l = loop(LONG, () -> left.decrementAndGet() > 0);
        l.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> left.get() <= 0);
    }

    @Test
    void aFailingStepIsRetriedAndTheLoopGoesOn() {
        AtomicInteger runs = new AtomicInteger();
        PollingLoop l = loop(Duration.ofMillis(20), () -> {
            if (runs.incrementAndGet() <= 3) {
                throw new IllegalStateException("database is down");
            }
            return false;
        });
        l.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 5);
        assertThat(l.isRunning()).isTrue();
    }

    @Test
    void stopEndsTheThreadAndInterruptsAWaitingStep() {
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean entered = new AtomicBoolean();
        PollingLoop l = loop(LONG, () -> {
            entered.set(true);
            try {
                Thread.sleep(LONG.toMillis());
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return false;
        });
        l.start();
        await().atMost(Duration.ofSeconds(10)).untilTrue(entered);
        l.stop();
        assertThat(interrupted).isTrue();
        assertThat(l.isRunning()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("parley-test") && t.isAlive());
    }

    @Test
    void aZeroIntervalIsRefused() {
        assertThatThrownBy(() -> new PollingLoop("x", Duration.ZERO, () -> false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
    }
}
