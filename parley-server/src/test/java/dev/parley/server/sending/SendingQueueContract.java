package dev.parley.server.sending;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.Faults;
import dev.parley.emulator.SentMessage;
import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.messaging.OutboundMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durable queue and its workers against the emulator: restart with messages queued, two nodes, a crashed
 * node's claims, retryable faults recovered, permanent errors failed with Meta's reason, 190 held then resumed,
 * 131056 delaying only that recipient.
 */
abstract class SendingQueueContract extends SendingTestSupport {

    @Autowired
    SendingWorker worker;
    @Autowired
    OutboundQueue queue;
    @Autowired
    SendingSettings settings;
    @Autowired
    OutboundMessages outbound;
    @Autowired
    IntegrationClients clients;
    @Autowired
    IntegrationDirectory directory;
    @Autowired
    IntegrationSignals signals;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JsonMapper mapper;
    @Autowired
    SendingMetrics metrics;

    @AfterEach
    void workerRunsAgain() {
        EMULATOR.faults().clear();
        if (!worker.isRunning()) {
            worker.start();
        }
    }

    List<String> queueTexts(Channel ch, String to, int n, String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(queued(ch, text(to, prefix + i)));
        }
        return ids;
    }

    /** Every text the emulator accepted for the channel, with how often. */
    Map<String, Long> sentTexts(Channel ch) {
        return sent(ch).stream().map(s -> JSON.readTree(s.requestBody()).at("/text/body").asString())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    void assertEachSentOnce(Channel ch, List<String> ids, String prefix) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> queuedRows(ch) == 0);
        Map<String, Long> texts = sentTexts(ch);
        assertThat(texts).hasSize(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(texts.get(prefix + i)).as(prefix + i).isEqualTo(1L);
        }
        Set<String> wamids = sent(ch).stream().map(SentMessage::wamid).collect(Collectors.toSet());
        for (String id : ids) {
            assertThat(wamids).contains(message(ch, id).get("wamid").asString());
        }
    }

    @Test
    void aRestartWithMessagesStillQueuedSendsEachOnce() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        call("PUT", INTEGRATIONS + "/" + ch.integrationId() + "/sending", ch.token(),
                json(Map.of("messages_per_second", 20)));
        worker.stop();
        List<String> ids = queueTexts(ch, to, 60, "restart-");
        assertThat(sent(ch)).isEmpty();
        assertThat(queuedRows(ch)).isEqualTo(60);

        worker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> sent(ch).size() >= 10);
        worker.stop(); // in the middle: sends in flight finish, unsent claims are given back
        int sentBeforeRestart = sent(ch).size();
        assertThat(sentBeforeRestart).isLessThan(60);
        assertThat(queuedRows(ch)).isEqualTo(60 - sentBeforeRestart);

        worker.start();
        assertEachSentOnce(ch, ids, "restart-");
    }

    @Test
    void aCrashedNodesExpiredClaimsAreTakenOver() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        worker.stop();
        List<String> ids = queueTexts(ch, to, 5, "crash-");
        jdbc.sql("UPDATE outbound_queue SET claimed_by = 'node-that-died', claimed_until = ? "
                        + "WHERE integration_id = ?")
                .params(OutboundQueue.time(Instant.now().minusSeconds(1)), ch.integrationId()).update();
        worker.start();
        assertEachSentOnce(ch, ids, "crash-");
    }

    @Test
    void twoNodesOnOneDatabaseNeverSendTheSameMessage() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        call("PUT", INTEGRATIONS + "/" + ch.integrationId() + "/sending", ch.token(),
                json(Map.of("messages_per_second", 1000)));
        worker.stop();
        List<String> ids = queueTexts(ch, to, 150, "nodes-");
        SendingWorker second = new SendingWorker(queue, settings, outbound, clients, directory, signals, tx,
                mapper, metrics, false, 4, Duration.ofMillis(20), Duration.ofSeconds(60), 10,
                Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMinutes(5), 0.01, Duration.ofMillis(250));
        SendingWorker third = new SendingWorker(queue, settings, outbound, clients, directory, signals, tx,
                mapper, metrics, false, 4, Duration.ofMillis(20), Duration.ofSeconds(60), 10,
                Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMinutes(5), 0.01, Duration.ofMillis(250));
        try {
            second.start();
            third.start();
            worker.start();
            assertEachSentOnce(ch, ids, "nodes-");
        } finally {
            second.stop();
            third.stop();
        }
    }

    @Test
    void throughputAndServerFaultsAreRetriedUntilSent() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        double throughput = outcomes("retried", "130429");
        double serverErrors = outcomes("retried", "1");
        double dropped = outcomes("retried", "connection");
        double sentBefore = outcomes("sent", "none");
        EMULATOR.faults().failNext(2, Faults.Kind.THROUGHPUT, ch.pn());
        EMULATOR.faults().failNext(2, Faults.Kind.SERVER_ERROR, ch.pn());
        EMULATOR.faults().failNext(1, Faults.Kind.SERVICE_UNAVAILABLE, ch.pn());
        EMULATOR.faults().failNext(1, Faults.Kind.TEMPORARY_ERROR, ch.pn());
        EMULATOR.faults().failNext(1, Faults.Kind.DROP_CONNECTION, ch.pn());
        List<String> ids = queueTexts(ch, to, 3, "fault-");
        assertEachSentOnce(ch, ids, "fault-");
        for (String id : ids) {
            JsonNode m = message(ch, id);
            assertThat(m.get("status").asString()).isNotEqualTo("failed");
            assertThat(m.get("error").isNull()).isTrue();
        }
        // on /actuator/prometheus: every outcome counted with Meta's code (or how the call failed)
        awaitOutcomes("retried", "130429", throughput + 2);
        awaitOutcomes("retried", "1", serverErrors + 2);
        awaitOutcomes("retried", "connection", dropped + 1);
        awaitOutcomes("sent", "none", sentBefore + 3);
        assertThat(metric(scrape(), "parley_sending_throughput_pauses_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aFaultThatNeverEndsFailsTheMessageAfterTheBoundedRetryTime() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        EMULATOR.faults().share(Faults.Kind.SERVER_ERROR, 1.0, ch.pn());
        String id = queued(ch, text(to, "doomed"));
        JsonNode m = awaitFailed(ch, id);
        assertThat(m.at("/error/code").asInt()).isEqualTo(1);
        assertThat(m.at("/error/message").asString()).contains("gave up");
        assertThat(m.get("failed_at").isNull()).isFalse();
        assertThat(queuedRows(ch)).isZero();
        assertThat(sent(ch)).isEmpty();
    }

    @Test
    void templateParameterErrorsFromMetaEndFailedWithMetasReason() {
        Channel ch = newChannel();
        // Meta's template has two body variables; Parley's copy is stale and says one
        EMULATOR.addTemplate(ch.biz().wabaId(), "stale_update", "en_US", "UTILITY",
                "[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, your code is {{2}}\"}]", "APPROVED");
        templates(ch, """
                [{"name":"stale_update","language":"en_US","status":"APPROVED",
                  "components":[{"type":"BODY","text":"Hi {{1}}"}]},
                 {"name":"gone_at_meta","language":"en_US","status":"APPROVED",
                  "components":[{"type":"BODY","text":"Bye"}]}]""");
        String to = customer();
        double failed132000 = outcomes("failed", "132000");
        double failed132001 = outcomes("failed", "132001");
        String stale = queued(ch, Map.of("to", to, "type", "template", "template", Map.of("name", "stale_update",
                "language", Map.of("code", "en_US"), "components", List.of(Map.of("type", "body",
                        "parameters", List.of(Map.of("type", "text", "text", "Ana")))))));
        String gone = queued(ch, Map.of("to", to, "type", "template", "template", Map.of("name", "gone_at_meta",
                "language", Map.of("code", "en_US"))));

        JsonNode count = awaitFailed(ch, stale);
        assertThat(count.at("/error/code").asInt()).isEqualTo(132000);
        assertThat(count.at("/error/title").asString()).isNotBlank();
        assertThat(count.at("/error/message").asString()).contains("132000");
        JsonNode missing = awaitFailed(ch, gone);
        assertThat(missing.at("/error/code").asInt()).isEqualTo(132001);
        assertThat(sent(ch)).isEmpty();
        assertThat(queuedRows(ch)).isZero();
        awaitOutcomes("failed", "132000", failed132000 + 1);
        awaitOutcomes("failed", "132001", failed132001 + 1);
    }

    @Test
    void anExpiredTokenHoldsTheMessagesUntilTheCredentialsAreFixed() {
        Channel ch = newChannel();
        String to = customer();
        customerWrites(ch, to);
        String expired = "EAAG-expired-" + metaId();
        EMULATOR.addAccessToken(expired, ch.biz().appId(), null, Instant.now().minusSeconds(3600));
        String path = INTEGRATIONS + "/" + ch.integrationId();
        assertThat(call("PUT", path, ch.token(), json(Map.of("access_token", expired))).status()).isEqualTo(200);

        double held190 = outcomes("held", "190");
        List<String> ids = queueTexts(ch, to, 3, "held-");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM outbound_queue WHERE integration_id = ? AND held = TRUE")
                .params(ch.integrationId()).query(Integer.class).single() == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(path, ch.token()).json()
                .path("needs_new_credentials").asBoolean());
        for (String id : ids) {
            JsonNode m = message(ch, id);
            assertThat(m.get("status").asString()).isEqualTo("queued"); // neither sent nor failed
            assertThat(m.get("wamid").isNull()).isTrue();
        }
        assertThat(sent(ch)).isEmpty();
        awaitOutcomes("held", "190", held190 + 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                metric(scrape(), "parley_sending_queue_depth", "state=\"held\"")).isGreaterThanOrEqualTo(3));
        Answer notes = get("/api/v1/notifications", ch.token());
        assertThat(notes.body()).contains("credentials");

        assertThat(call("PUT", path, ch.token(), json(Map.of("access_token", ch.biz().accessToken()))).status())
                .isEqualTo(200);
        assertEachSentOnce(ch, ids, "held-");
    }

    @Test
    void thePairRateLimitDelaysOnlyThatRecipient() {
        try (CloudApiEmulator pairLimited = CloudApiEmulator.start(EmulatorOptions.builder()
                .throughputPerSecond(1000).pairRateLimit(2).pairRateWindow(Duration.ofMillis(700)).build())) {
            Channel ch = newChannel(pairLimited);
            String busy = customer();
            customerWrites(ch, busy);
            List<String> others = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String other = customer();
                customerWrites(ch, other);
                others.add(other);
            }
            worker.stop();
            List<String> busyIds = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                busyIds.add(queued(ch, text(busy, "busy-" + i)));
            }
            List<String> otherIds = new ArrayList<>();
            for (String other : others) {
                otherIds.add(queued(ch, text(other, "other-" + other)));
            }
            worker.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> queuedRows(ch) == 0);
            List<SentMessage> sent = pairLimited.sent(ch.pn());
            assertThat(sent).hasSize(10);
            for (String id : busyIds) {
                assertThat(message(ch, id).get("status").asString()).isNotEqualTo("failed");
            }
            // every other recipient was served before the busy one's last message, which had to wait for Meta
            Instant lastBusy = sent.stream().filter(s -> s.to().equals(busy)).map(SentMessage::acceptedAt)
                    .max(Instant::compareTo).orElseThrow();
            Instant lastOther = sent.stream().filter(s -> !s.to().equals(busy)).map(SentMessage::acceptedAt)
                    .max(Instant::compareTo).orElseThrow();
            assertThat(lastOther).isBefore(lastBusy);
            assertThat(Duration.between(sent.get(0).acceptedAt(), lastBusy)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        }
    }
}
