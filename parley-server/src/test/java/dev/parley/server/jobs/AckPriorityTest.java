package dev.parley.server.jobs;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AckPriorityTest {

    @Test
    void backgroundWorkGivesWayOnlyAfterPressureWasReported() {
        AckPriority p = new AckPriority(Duration.ofHours(1), Duration.ofHours(1));
        assertThat(p.pressing()).isFalse();
        p.pressure();
        assertThat(p.pressing()).isTrue();
    }

    @Test
    void pressureEndsWhenNotReportedAgainWithinTheHold() {
        AckPriority p = new AckPriority(Duration.ofMillis(50), Duration.ofHours(1));
        p.pressure();
        await().atMost(Duration.ofSeconds(5)).until(() -> !p.pressing());
    }

    @Test
    void aBurstLongerThanTheBoundNoLongerHoldsBackgroundWork() {
        AckPriority p = new AckPriority(Duration.ofHours(1), Duration.ofMillis(100));
        p.pressure();
        // reported again and again, as under a sustained load: after the burst bound, work is shared again
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            p.pressure();
            return !p.pressing();
        });
    }

    @Test
    void aZeroBurstTurnsItOff() {
        AckPriority p = new AckPriority(Duration.ofHours(1), Duration.ZERO);
        p.pressure();
        assertThat(p.pressing()).isFalse();
    }

    @Test
    void givingWayEndsAfterTheLongestPauseEvenUnderPressure() throws InterruptedException {
        AckPriority p = new AckPriority(Duration.ofHours(1), Duration.ofHours(1));
        p.pressure();
        p.giveWay(Duration.ofMillis(20)); // returns (the test would hang otherwise)
        assertThat(p.pressing()).isTrue();
    }
}
