package dev.parley.server.sending;

import dev.parley.emulator.SentMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pacing per phone number: messages to one number at its configured rate never exceed that rate in any sliding
 * second (read from the emulator's acceptance times: Meta's side), at 150/s and at Meta's highest 1,000/s, and a
 * second number is not held up behind the first. The bound holds whatever the machine's speed (see
 * {@link SendWindow}), so these are correctness assertions, not timing ones.
 */
abstract class PacingContract extends SendingTestSupport {

    static final int RATE = 150;
    static final int COUNT = 1000;

    @Autowired
    SendingWorker worker;

    @AfterEach
    void workerRunsAgain() {
        if (!worker.isRunning()) {
            worker.start();
        }
    }

    @Test
    void thousandMessagesToOneNumberArePacedAtTheConfiguredRateAndAnotherNumberIsNotDelayed() throws Exception {
        Channel busy = newChannel();
        Channel quiet = newChannel();
        String quietCustomer = customer();
        customerWrites(quiet, quietCustomer);
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String c = customer();
            customerWrites(busy, c);
            customers.add(c);
        }
        Answer rate = call("PUT", INTEGRATIONS + "/" + busy.integrationId() + "/sending", busy.token(),
                json(Map.of("messages_per_second", RATE)));
        assertThat(rate.status()).isEqualTo(200);

        worker.stop(); // queue everything first: the quiet number's message is the newest row of all
        ExecutorService posters = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                int n = i;
                ids.add(posters.submit(() -> queued(busy, text(customers.get(n % customers.size()), "bulk-" + n))));
            }
            for (Future<String> f : ids) {
                f.get();
            }
        } finally {
            posters.shutdown();
        }
        String quietId = queued(quiet, text(quietCustomer, "not behind the bulk"));
        // the queue's depth on /actuator/prometheus: everything is ready and waiting for the worker
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                metric(scrape(), "parley_sending_queue_depth", "state=\"ready\"")).isGreaterThanOrEqualTo(COUNT + 1));
        double sentBefore = outcomes("sent", "none");
        double waitsBefore = metric(scrape(), "parley_sending_pacing_wait_seconds_count");
        worker.start();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> queuedRows(busy) == 0 && queuedRows(quiet) == 0);
        List<SentMessage> sent = sent(busy);
        assertThat(sent).hasSize(COUNT);
        assertThat(sent.stream().map(s -> JSON.readTree(s.requestBody()).at("/text/body").asString()).distinct())
                .hasSize(COUNT);

        // no sliding one-second window of the emulator's acceptance times holds more than RATE messages
        List<Instant> times = sent.stream().map(SentMessage::acceptedAt).sorted().toList();
        int worst = busiestSecond(times);
        assertThat(worst).as("most messages accepted in any one second").isLessThanOrEqualTo(RATE);
        assertThat(worst).as("the rate is actually used").isGreaterThan(RATE / 2);

        // queued last, the quiet number's message still went out before the busy number's second second began
        // (its message RATE + 1 can only go a full second after its first)
        Instant quietAt = sent(quiet).get(0).acceptedAt();
        assertThat(quietAt).isBefore(times.get(RATE));
        assertThat(message(quiet, quietId).get("wamid").isNull()).isFalse();

        // metrics: every send counted, and 1,001 messages at 150/s had to wait for the rate
        awaitOutcomes("sent", "none", sentBefore + COUNT + 1);
        assertThat(metric(scrape(), "parley_sending_pacing_wait_seconds_count")).isGreaterThan(waitsBefore);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                metric(scrape(), "parley_sending_queue_depth", "state=\"ready\"")).isLessThan(COUNT));
    }

    @Test
    void atMetasHighestRateOfOneThousandPerSecondNoSecondHoldsMore() throws Exception {
        Channel busy = newChannel();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String c = customer();
            customerWrites(busy, c);
            customers.add(c);
        }
        assertThat(call("PUT", INTEGRATIONS + "/" + busy.integrationId() + "/sending", busy.token(),
                json(Map.of("messages_per_second", 1000))).status()).isEqualTo(200);
        int count = 2500;
        worker.stop(); // a backlog, so that the number sends as fast as its window lets it
        ExecutorService posters = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                ids.add(posters.submit(() -> queued(busy, text(customers.get(n % customers.size()), "fast-" + n))));
            }
            for (Future<String> f : ids) {
                f.get();
            }
        } finally {
            posters.shutdown();
        }
        worker.start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> queuedRows(busy) == 0);
        List<SentMessage> sent = sent(busy);
        assertThat(sent).hasSize(count);
        List<Instant> times = sent.stream().map(SentMessage::acceptedAt).sorted().toList();
        int busiest = busiestSecond(times);
        System.out.printf("1,000/s: %d messages accepted in %d ms, busiest second %d%n", count,
                Duration.between(times.get(0), times.get(times.size() - 1)).toMillis(), busiest);
        assertThat(busiest).as("most messages accepted in any one second").isLessThanOrEqualTo(1000);
    }

    /** The most acceptance times in any sliding one-second window [t, t + 1 s). */
    static int busiestSecond(List<Instant> sorted) {
        int worst = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (!sorted.get(start).plus(Duration.ofSeconds(1)).isAfter(sorted.get(end))) {
                start++;
            }
            worst = Math.max(worst, end - start + 1);
        }
        return worst;
    }
}
