package dev.parley.server.webhook;

import dev.parley.cloudapi.signature.WebhookSignature;
import dev.parley.server.channel.IntegrationChanged;
import dev.parley.server.channel.IntegrationRoute;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.parley.server.webhook.WebhookTestKit.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The processor: every item of batched deliveries, routing per change, unrouted kept, retries, claims. */
class DeliveryProcessorTest {

    final DataSource ds = h2();
    final JdbcClient jdbc = JdbcClient.create(ds);
    final FakeDirectory directory = new FakeDirectory();
    final FakeSignals signals = new FakeSignals();
    final FakeInbound inbound = new FakeInbound();
    final FakeTemplates templates = new FakeTemplates();
    final FakeAudit audit = new FakeAudit();
    final WebhookSettings settings = new WebhookSettings(1 << 20, Duration.ofSeconds(10), 100, 50,
            Duration.ofHours(24), Duration.ofDays(7), 5, Duration.ofHours(1), 7, Duration.ofSeconds(60),
            Duration.ofSeconds(1), 3);
    final DeliveryStore store = new DeliveryStore(jdbc, new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(ds));
    final DeliveryProcessor processor = newProcessor();
    final WebhookWorker worker = new WebhookWorker(processor, store, directory, settings, new WakeSignal(),
            Duration.ofSeconds(30), Duration.ofMinutes(10));

    DeliveryProcessor newProcessor() {
        return new DeliveryProcessor(store, tx(ds), directory, signals, inbound, templates, audit, settings);
    }

    /** Stores a delivery as the ack path would (signed with {@code secret}; via the integration's URL when given). */
    long insert(String body, String secret, IntegrationRoute via) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        jdbc.sql(DeliveryWriter.INSERT).params(OffsetDateTime.now(ZoneOffset.UTC), via == null ? null : via.orgId(),
                via == null ? null : via.integrationId(), via == null ? "global" : "integration", "10.0.0.1",
                via == null ? null : Boolean.TRUE, WebhookSignature.sign(bytes, secret), "{}", bytes, bytes.length, 200,
                "pending", "queued", null).update();
        return jdbc.sql("SELECT MAX(id) FROM webhook_deliveries").query(Long.class).single();
    }

    String stateOf(long id) {
        return jdbc.sql("SELECT state || '/' || outcome FROM webhook_deliveries WHERE id = ?").param(id)
                .query(String.class).single();
    }

    @Test
    void everyEntryChangeMessageAndStatusOfABatchedDeliveryIsProcessed() {
        IntegrationRoute a = directory.add(route("111", "900", "secret-a"));
        IntegrationRoute b = directory.add(route("222", "900", "secret-a"));
        String body = payload(
                entry("900",
                        messagesChange("111", List.of(text("wamid.1", "1", "a"), text("wamid.2", "1", "b")),
                                List.of(status("wamid.out1", "sent"), status("wamid.out1", "delivered"))),
                        messagesChange("222", List.of(text("wamid.3", "1", "c")), List.of(status("wamid.out2", "read")))),
                entry("900",
                        messagesChange("111", List.of(text("wamid.4", "1", "d")), List.of()),
                        templateChange("hello_world", "APPROVED"),
                        accountChange("ACCOUNT_RESTRICTION"),
                        "{\"value\":{\"whatever\":1},\"field\":\"history\"}"));
        long id = insert(body, "secret-a", a);
        assertThat(processor.drain()).isEqualTo(1);

        assertThat(inbound.wamids()).containsExactlyInAnyOrder("wamid.1", "wamid.2", "wamid.3", "wamid.4");
        assertThat(inbound.messages).contains(a.integrationId() + "/wamid.1", a.integrationId() + "/wamid.4",
                b.integrationId() + "/wamid.3");
        assertThat(inbound.statuses).containsExactlyInAnyOrder("wamid.out1/SENT", "wamid.out1/DELIVERED",
                "wamid.out2/READ");
        assertThat(inbound.calls).allMatch(c -> c.deliveryId() == id);
        // the template and account updates go to every integration of the WABA
        assertThat(templates.updates).containsExactlyInAnyOrder(a.integrationId() + " status hello_world APPROVED",
                b.integrationId() + " status hello_world APPROVED");
        assertThat(signals.accountEvents).hasSize(2).allMatch(s -> s.endsWith("account_update ACCOUNT_RESTRICTION"));
        assertThat(signals.received).containsExactlyInAnyOrder(a.integrationId(), b.integrationId());
        assertThat(stateOf(id)).isEqualTo("processed/processed");
        assertThat(jdbc.sql("SELECT detail FROM webhook_deliveries").query(String.class).single())
                .contains("messages 4 (4 new, 0 duplicate)").contains("statuses 3 (3 applied")
                .contains("fields kept but not acted on: history");
        // one webhook.inbound.received per organization involved (the two integrations belong to two here)
        assertThat(audit.events).extracting(e -> e.get("org")).containsExactlyInAnyOrder(a.orgId(), b.orgId());
        assertThat(audit.events).allMatch(e -> e.get("subject").equals("webhook-event:" + id));
        assertThat(audit.events.toString()).contains("messages_stored=3").contains("messages_stored=1");
    }

    @Test
    void redeliveriesReachMessagingWhichStoresThemOnce() {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        String body = payload(entry("900", messagesChange("111", List.of(text("wamid.1", "1", "a")), List.of())));
        insert(body, "s", a);
        insert(body, "s", a);
        insert(body, "s", null); // and once more through the global URL
        processor.drain();
        assertThat(inbound.seenMessages).hasSize(3);
        assertThat(inbound.messages).containsExactly(a.integrationId() + "/wamid.1");
        assertThat(count(jdbc, "state = 'processed' AND outcome = 'processed'")).isEqualTo(3);
    }

    @Test
    void deliveriesForUnknownNumbersAreKeptAndProcessedWhenTheIntegrationAppears() {
        String body = payload(entry("950", messagesChange("777", List.of(text("wamid.u1", "1", "a")), List.of())));
        long id = insert(body, "late-secret", null);
        processor.drain();
        assertThat(stateOf(id)).isEqualTo("unrouted/unrouted");
        assertThat(jdbc.sql("SELECT detail FROM webhook_deliveries").query(String.class).single())
                .contains("phone_number_id 777 that no integration knows yet");
        assertThat(inbound.messages).isEmpty();
        assertThat(worker.sweep()).isZero();

        // an integration with that number but another app's secret does not get it
        IntegrationRoute wrong = directory.add(route("777", "950", "someone-else"));
        worker.integrationChanged(new IntegrationChanged(wrong.orgId(), wrong.integrationId(), IntegrationChanged.Kind.CREATED));
        processor.drain();
        assertThat(inbound.messages).isEmpty();
        assertThat(stateOf(id)).isEqualTo("unrouted/signature_mismatch");
        assertThat(jdbc.sql("SELECT org_id FROM webhook_deliveries").query(UUID.class).optional()).isEmpty();

        // its secret is corrected: the delivery is verified and processed, and becomes the organization's
        directory.routes.remove(wrong.integrationId());
        IntegrationRoute right = directory.add(new IntegrationRoute(wrong.integrationId(), wrong.orgId(), "Shop", true,
                "app", "950", "777", "late-secret", "v", "w"));
        worker.integrationChanged(new IntegrationChanged(right.orgId(), right.integrationId(), IntegrationChanged.Kind.UPDATED));
        processor.drain();
        assertThat(inbound.messages).containsExactly(right.integrationId() + "/wamid.u1");
        assertThat(stateOf(id)).isEqualTo("processed/processed");
        assertThat(jdbc.sql("SELECT org_id FROM webhook_deliveries").query(UUID.class).single()).isEqualTo(right.orgId());
        assertThat(jdbc.sql("SELECT signature_valid FROM webhook_deliveries").query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM webhook_unrouted_keys").query(Integer.class).single()).isZero();
    }

    @Test
    void theSweepFindsIntegrationsAddedElsewhere() {
        String body = payload(entry("950", messagesChange("778", List.of(text("wamid.s1", "1", "a")), List.of())));
        long id = insert(body, "sec", null);
        processor.drain();
        directory.add(route("778", "950", "sec")); // no event on this node
        assertThat(worker.sweep()).isEqualTo(1);
        processor.drain();
        assertThat(stateOf(id)).isEqualTo("processed/processed");
        assertThat(inbound.wamids()).containsExactly("wamid.s1");
    }

    @Test
    void aDeliveryWithKnownAndUnknownNumbersIsPartlyProcessedAndTheRestKept() {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        String body = payload(entry("900", messagesChange("111", List.of(text("wamid.k", "1", "a")), List.of()),
                messagesChange("999", List.of(text("wamid.x", "1", "b")), List.of())));
        long id = insert(body, "s", a);
        processor.drain();
        assertThat(stateOf(id)).isEqualTo("processed/partially_unrouted");
        assertThat(inbound.wamids()).containsExactly("wamid.k");
        IntegrationRoute later = directory.add(route("999", "900", "s"));
        worker.integrationChanged(new IntegrationChanged(later.orgId(), later.integrationId(), IntegrationChanged.Kind.CREATED));
        processor.drain();
        assertThat(stateOf(id)).isEqualTo("processed/processed");
        assertThat(inbound.wamids()).containsExactlyInAnyOrder("wamid.k", "wamid.x");
    }

    @Test
    void numbersOfAnotherAppAreNotInjectedThroughAnIntegrationsUrl() {
        IntegrationRoute a = directory.add(route("111", "900", "secret-a"));
        IntegrationRoute other = directory.add(route("222", "901", "secret-b"));
        String body = payload(entry("901", messagesChange("222", List.of(text("wamid.evil", "1", "a")), List.of())));
        long id = insert(body, "secret-a", a);
        processor.drain();
        assertThat(inbound.messages).isEmpty();
        assertThat(stateOf(id)).isEqualTo("unrouted/signature_mismatch");
        assertThat(other).isNotNull();
    }

    @Test
    void anUnparseableBodyIsKeptForInspection() {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        long id = insert("{\"object\":\"whatsapp_business_account\"}", "s", a);
        processor.drain();
        assertThat(stateOf(id)).isEqualTo("processed/unparseable");
        assertThat(count(jdbc, "body IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void aFailureRollsBackAndIsRetriedWithBackoffUntilGivenUp() {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        long id = insert(payload(entry("900", messagesChange("111", List.of(text("wamid.f", "1", "a")), List.of()))),
                "s", a);
        inbound.failWith = new IllegalStateException("messaging is broken");
        processor.drain();
        assertThat(stateOf(id)).isEqualTo("pending/failed");
        assertThat(audit.events).isEmpty();
        assertThat(jdbc.sql("SELECT detail FROM webhook_deliveries").query(String.class).single())
                .contains("attempt 1 of 3 failed").contains("messaging is broken");
        assertThat(processor.drain()).isZero(); // not due yet
        for (int attempt = 2; attempt <= 3; attempt++) {
            jdbc.sql("UPDATE webhook_deliveries SET not_before = NULL").update();
            processor.drain();
        }
        assertThat(stateOf(id)).isEqualTo("processed/failed");
        inbound.failWith = null;
        assertThat(store.replay(jdbc.sql("SELECT org_id FROM webhook_deliveries").query(UUID.class).single(), id)).isTrue();
        processor.drain();
        assertThat(stateOf(id)).isEqualTo("processed/processed");
        assertThat(inbound.wamids()).containsExactly("wamid.f");
    }

    @Test
    void aBacklogIsProcessedInBatchesAndOneBadDeliveryFailsAloneWhileTheOthersAreStoredOnce() {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // the batch (7) takes all of them, redeliveries included
            String wamid = i == 3 ? "wamid.bad" : "wamid.b" + (i % 4);
            ids.add(insert(payload(entry("900", messagesChange("111", List.of(text(wamid, "1", "a")),
                    List.of(status("wamid.out", "sent"))))), "s", a));
        }
        inbound.failOnWamid = "wamid.bad";
        assertThat(processor.drain()).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            assertThat(stateOf(ids.get(i))).isEqualTo(i == 3 ? "pending/failed" : "processed/processed");
        }
        assertThat(inbound.messages).containsExactlyInAnyOrder(a.integrationId() + "/wamid.b0",
                a.integrationId() + "/wamid.b1", a.integrationId() + "/wamid.b2");
        List<String> details = jdbc.sql("SELECT detail FROM webhook_deliveries WHERE state = 'processed' ORDER BY id")
                .query(String.class).list();
        assertThat(details).containsExactly(
                "messages 1 (1 new, 0 duplicate), statuses 1 (1 applied, 0 duplicate), template updates 0, account events 0",
                "messages 1 (1 new, 0 duplicate), statuses 1 (0 applied, 1 duplicate), template updates 0, account events 0",
                "messages 1 (1 new, 0 duplicate), statuses 1 (0 applied, 1 duplicate), template updates 0, account events 0",
                "messages 1 (0 new, 1 duplicate), statuses 1 (0 applied, 1 duplicate), template updates 0, account events 0",
                "messages 1 (0 new, 1 duplicate), statuses 1 (0 applied, 1 duplicate), template updates 0, account events 0");
        assertThat(audit.events).hasSize(5);
        inbound.failOnWamid = null;
        jdbc.sql("UPDATE webhook_deliveries SET not_before = NULL").update();
        assertThat(processor.drain()).isEqualTo(1);
        assertThat(stateOf(ids.get(3))).isEqualTo("processed/processed");
        assertThat(inbound.wamids()).containsExactlyInAnyOrder("wamid.b0", "wamid.b1", "wamid.b2", "wamid.bad");
    }

    @Test
    void workLeftByADeadNodeIsResumedAfterItsLease() {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        long id = insert(payload(entry("900", messagesChange("111", List.of(text("wamid.r", "1", "a")), List.of()))),
                "s", a);
        jdbc.sql("UPDATE webhook_deliveries SET state = 'processing', claim_token = ?, lease_until = ?")
                .params(UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5)).update();
        assertThat(processor.drain()).isZero(); // still leased
        jdbc.sql("UPDATE webhook_deliveries SET lease_until = ?").param(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1))
                .update();
        assertThat(processor.drain()).isEqualTo(1);
        assertThat(stateOf(id)).isEqualTo("processed/processed");
    }

    @Test
    void concurrentProcessorsClaimEachDeliveryOnce() throws Exception {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        for (int i = 0; i < 120; i++) {
            insert(payload(entry("900", messagesChange("111", List.of(text("wamid.c" + i, "1", "a")), List.of()))),
                    "s", a);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> claimed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DeliveryProcessor p = newProcessor();
            claimed.add(pool.submit(p::drain));
        }
        int total = 0;
        for (Future<Integer> f : claimed) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(total).isEqualTo(120);
        assertThat(inbound.calls).hasSize(120);
        assertThat(inbound.calls.stream().map(c -> c.deliveryId()).distinct().count()).isEqualTo(120);
        assertThat(count(jdbc, "state = 'processed'")).isEqualTo(120);
    }

    @Test
    void retentionDeletesOldProcessedAndRefusedDeliveriesOnly() {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        long old = insert(payload(entry("900", messagesChange("111", List.of(text("wamid.o", "1", "a")), List.of()))), "s", a);
        long fresh = insert(payload(entry("900", messagesChange("111", List.of(text("wamid.n", "1", "a")), List.of()))), "s", a);
        long waiting = insert(payload(entry("900", messagesChange("111", List.of(text("wamid.w", "1", "a")), List.of()))), "s", a);
        processor.drain();
        long oldPending = insert(payload(), "s", a);
        jdbc.sql("UPDATE webhook_deliveries SET received_at = ? WHERE id IN (?, ?, ?)")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusHours(25), old, waiting, oldPending).update();
        jdbc.sql("UPDATE webhook_deliveries SET state = 'unrouted' WHERE id = ?").param(waiting).update();
        assertThat(worker.retention()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT id FROM webhook_deliveries ORDER BY id").query(Long.class).list())
                .containsExactly(fresh, waiting, oldPending);
    }

    @Test
    void underAckPressureTheWorkerPausesBetweenBatchesButProcessesEverything() {
        IntegrationRoute a = directory.add(route("111", "900", "s"));
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) { // three batches of 7
            ids.add(insert(payload(entry("900", messagesChange("111", List.of(text("wamid.p" + i, "1", "a")),
                    List.of()))), "s", a));
        }
        dev.parley.server.jobs.AckPriority priority = new dev.parley.server.jobs.AckPriority(Duration.ofHours(1),
                Duration.ofHours(1));
        priority.pressure(); // pressing for the whole test
        WebhookWorker pressed = new WebhookWorker(processor, store, directory, settings, new WakeSignal(),
                Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ZERO, priority);
        pressed.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(ids).allSatisfy(id -> assertThat(stateOf(id)).startsWith("processed/")));
            assertThat(priority.pressing()).isTrue();
        } finally {
            pressed.stop();
        }
    }
}
