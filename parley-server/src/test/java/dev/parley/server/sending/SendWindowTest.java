package dev.parley.server.sending;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SendWindow} on a simulated clock: whatever the round trips (from 0.1 ms to 3 s) and wherever Meta accepts
 * a send between its start and its answer, no sliding second of acceptances holds more than the limit; and with
 * short round trips the number reaches its rate.
 */
class SendWindowTest {

    private static final long MS = 1_000_000L;

    private record Flight(long answerAt, long acceptedAt) {
    }

    /** The most sends in flight at once in the last {@link #simulate} (this thread's). */
    private static final ThreadLocal<Integer> mostInFlight = ThreadLocal.withInitial(() -> 0);

    /** Sends {@code count} messages as fast as the window allows; answers the sorted acceptance times. */
    private static List<Long> simulate(int limit, int count, long seed, long maxRoundTrip, double slowShare) {
        mostInFlight.set(0);
        Random random = new Random(seed);
        SendWindow w = new SendWindow(limit);
        PriorityQueue<Flight> flying = new PriorityQueue<>((a, b) -> Long.compare(a.answerAt, b.answerAt));
        List<Long> accepted = new ArrayList<>();
        long now = 1_000 * MS;
        int started = 0;
        while (started < count || !flying.isEmpty()) {
            while (!flying.isEmpty() && flying.peek().answerAt <= now) {
                Flight f = flying.poll();
                accepted.add(f.acceptedAt);
                w.answered(f.answerAt, 0);
            }
            long wait = 0;
            while (started < count && (wait = w.tryStart(now)) == 0) {
                long rt = random.nextDouble() < slowShare ? (long) (random.nextDouble() * maxRoundTrip)
                        : 100_000L + (long) (random.nextDouble() * 2 * MS);
                long acceptedAt = now + (long) (random.nextDouble() * rt); // somewhere between start and answer
                flying.add(new Flight(now + rt, acceptedAt));
                started++;
                assertThat(w.inFlight()).isEqualTo(flying.size());
                mostInFlight.set(Math.max(mostInFlight.get(), flying.size()));
            }
            long next = flying.isEmpty() ? Long.MAX_VALUE : flying.peek().answerAt;
            if (started < count && wait > 0) {
                next = Math.min(next, now + wait);
            }
            // a scheduler wakes up late by up to 1 ms
            now = Math.max(now + 1, next + (long) (random.nextDouble() * MS));
        }
        Collections.sort(accepted);
        return accepted;
    }

    private static int busiestSecond(List<Long> sorted) {
        int worst = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (sorted.get(start) + SendWindow.SECOND <= sorted.get(end)) {
                start++;
            }
            worst = Math.max(worst, end - start + 1);
        }
        return worst;
    }

    @Test
    void noSecondAtMetaHoldsMoreThanTheLimitWhateverTheRoundTrips() {
        for (long seed = 1; seed <= 20; seed++) {
            for (int limit : new int[] {1, 7, 80, 1000}) {
                List<Long> times = simulate(limit, limit * 4 + 3, seed, 3_000 * MS, 0.05);
                assertThat(times).hasSize(limit * 4 + 3);
                assertThat(busiestSecond(times)).as("limit %d seed %d", limit, seed).isLessThanOrEqualTo(limit);
            }
        }
    }

    @Test
    void atMostHalfASecondsWorthOfSendsIsInFlightAndNothingIsLost() {
        for (int limit : new int[] {1, 2, 7, 80, 1000}) {
            // every round trip slow (up to 3 s): without the cap a whole second's worth would be in flight
            List<Long> times = simulate(limit, limit * 3 + 3, limit, 3_000 * MS, 1.0);
            assertThat(times).as("every message sent once, limit %d", limit).hasSize(limit * 3 + 3);
            assertThat(mostInFlight.get()).as("most in flight at limit %d", limit)
                    .isEqualTo(SendWindow.maxInFlight(limit));
            assertThat(busiestSecond(times)).isLessThanOrEqualTo(limit);
        }
        assertThat(SendWindow.maxInFlight(1000)).isEqualTo(500);
        assertThat(SendWindow.maxInFlight(80)).isEqualTo(40);
        assertThat(SendWindow.maxInFlight(1)).isEqualTo(1);
    }

    @Test
    void aSendInFlightBeyondTheCapWaitsForAnAnswerNotForTime() {
        SendWindow w = new SendWindow(4); // at most 2 in flight
        assertThat(w.tryStart(0)).isZero();
        assertThat(w.tryStart(SendWindow.SECOND / 4)).isZero();
        assertThat(w.tryStart(SendWindow.SECOND / 2)).isEqualTo(-1);
        w.answered(SendWindow.SECOND / 2, 0);
        assertThat(w.tryStart(SendWindow.SECOND / 2)).isZero();
        assertThat(w.inFlight()).isEqualTo(2);
    }

    @Test
    void withShortRoundTripsANumberReachesItsRate() {
        List<Long> times = simulate(1000, 10_000, 7, 0, 0);
        assertThat(busiestSecond(times)).isLessThanOrEqualTo(1000);
        double seconds = (times.get(times.size() - 1) - times.get(0)) / 1e9;
        // round trips of 0.1-2.1 ms and late wake-ups of up to 1 ms: at least 98% of the rate
        assertThat((times.size() - 1) / seconds).isGreaterThan(980);
    }

    @Test
    void aLowerLimitAppliesToTheNextStart() {
        SendWindow w = new SendWindow(10);
        long now = 0;
        for (int i = 0; i < 5; i++) {
            assertThat(w.tryStart(now)).isZero();
            w.answered(now, 0);
            now += SendWindow.SECOND / 10;
        }
        w.limit(5);
        assertThat(w.tryStart(now)).isPositive();
        assertThat(w.occupied(now)).isEqualTo(5);
    }
}
