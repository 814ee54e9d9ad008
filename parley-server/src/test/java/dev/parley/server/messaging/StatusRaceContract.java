package dev.parley.server.messaging;

import dev.parley.cloudapi.webhook.WebhookParser;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.JsonNodeFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meta's status webhook can overtake the sender storing Meta's answer: the status and the message's wamid are then
 * committed by two concurrent transactions, neither seeing the other's row. The status must still reach the message
 * (the delivery ticks), not stay pending for ever.
 */
abstract class StatusRaceContract extends ApiTestBase {

    @Autowired
    OutboundMessages outbound;
    @Autowired
    InboundItems inbound;
    @Autowired
    TransactionTemplate tx;

    @Test
    void aStatusCommittedAlongsideTheWamidStillReachesTheMessage() throws Exception {
        TestOrg org = newOrg();
        String pn = metaId();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("app_id", "100000000000001");
        b.put("app_secret", "app-secret-" + pn);
        b.put("waba_id", "100000000000002");
        b.put("phone_number_id", pn);
        b.put("access_token", "EAAG-token-" + pn);
        UUID integration = UUID.fromString(createIntegration(org, b).get("id").asString());
        UUID orgId = org.org().id();
        UUID message = outbound.record(orgId, integration, "15550001234", "text",
                JsonNodeFactory.instance.objectNode().put("body", "hi"), null);
        String wamid = "wamid.race-" + UUID.randomUUID();
        var statuses = new WebhookParser().parse("""
                {"object":"whatsapp_business_account","entry":[{"id":"100000000000002","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111",
                 "phone_number_id":"%s"},"statuses":[{"id":"%s","status":"sent","timestamp":"%d",
                 "recipient_id":"15550001234"}]}}]}]}""".formatted(pn, wamid, Instant.now().getEpochSecond()))
                .statusEvents();

        CountDownLatch statusStored = new CountDownLatch(1);
        CountDownLatch wamidCommitted = new CountDownLatch(1);
        CompletableFuture<Void> webhook = CompletableFuture.runAsync(() -> tx.executeWithoutResult(t -> {
            inbound.apply(new InboundContext(orgId, integration, 0L, Instant.now()), List.of(), statuses);
            statusStored.countDown();
            try {
                assertThat(wamidCommitted.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }));
        assertThat(statusStored.await(30, TimeUnit.SECONDS)).isTrue();
        outbound.accepted(message, wamid); // commits while the status's transaction is still open
        wamidCommitted.countDown();
        webhook.get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("SELECT status FROM messages WHERE id = ?")
                .params(message).query(String.class).single(), "sent"::equals);
    }
}
