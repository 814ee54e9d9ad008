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
 * Pacing per phone number: 1,000 messages to one number at its configured rate never exceed that rate in any
 * second (read from the emulator's acceptance times), and a second number is not held up behind the first.
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
        worker.start();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> queuedRows(busy) == 0 && queuedRows(quiet) == 0);
        List<SentMessage> sent = sent(busy);
        assertThat(sent).hasSize(COUNT);
        assertThat(sent.stream().map(s -> JSON.readTree(s.requestBody()).at("/text/body").asString()).distinct())
                .hasSize(COUNT);

        // no sliding one-second window of the emulator's acceptance times holds more than RATE messages
        List<Instant> times = sent.stream().map(SentMessage::acceptedAt).sorted().toList();
        int worst = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (!times.get(start).plus(Duration.ofSeconds(1)).isAfter(times.get(end))) {
                start++;
            }
            worst = Math.max(worst, end - start + 1);
        }
        assertThat(worst).as("most messages accepted in any one second").isLessThanOrEqualTo(RATE);
        assertThat(worst).as("the rate is actually used").isGreaterThan(RATE / 2);

        // queued last, the quiet number's message still went out before the busy number's 100th
        Instant quietAt = sent(quiet).get(0).acceptedAt();
        assertThat(quietAt).isBefore(times.get(99));
        assertThat(message(quiet, quietId).get("wamid").isNull()).isFalse();
    }
}
