package dev.parley.server.messaging;

import dev.parley.cloudapi.webhook.WebhookParser;
import dev.parley.cloudapi.webhook.WebhookPayload;
import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Inbound messages and statuses as the webhook feature hands them over ({@link InboundItems}), checked through
 * the conversations and messages API: every type with its content, replies and reactions linked, exactly once
 * under redelivery and concurrency, statuses forward only with Meta's times, organization scoping and paging.
 */
abstract class MessagingContract extends ApiTestBase {

    static final Path PAYLOADS = Path.of("..", "parley-cloudapi", "src", "test", "resources", "conformance",
            "payloads");
    static final WebhookParser PARSER = new WebhookParser();
    static final AtomicLong DELIVERY = new AtomicLong(1000);

    @Autowired
    InboundItems inbound;
    @Autowired
    OutboundMessages outbound;
    @Autowired
    MessageStatuses statuses;

    record Channel(TestOrg org, UUID integrationId) {
        InboundContext context() {
            return new InboundContext(org.org().id(), integrationId, DELIVERY.incrementAndGet(), Instant.now());
        }
    }

    Channel channel() {
        return new Channel(newOrg(), UUID.randomUUID());
    }

    InboundResult deliver(Channel ch, WebhookPayload payload) {
        return inbound.apply(ch.context(), payload.messageEvents(), payload.statusEvents());
    }

    static WebhookPayload file(String name) {
        try {
            return PARSER.parse(Files.readAllBytes(PAYLOADS.resolve(name)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A {@code messages} webhook with the given messages and statuses (JSON arrays' contents). */
    static WebhookPayload webhook(String from, String name, String messages, String statuses) {
        return PARSER.parse("""
                {"object":"whatsapp_business_account","entry":[{"id":"waba-1","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111",
                 "phone_number_id":"pn-1"},"contacts":[{"profile":{"name":"%s"},"wa_id":"%s"}],
                 "messages":[%s],"statuses":[%s]}}]}]}""".formatted(name, from, messages, statuses));
    }

    static String text(String from, String wamid, long ts, String body) {
        return """
                {"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}"""
                .formatted(from, wamid, ts, body);
    }

    static String status(String wamid, String status, long ts) {
        return """
                {"id":"%s","status":"%s","timestamp":"%d","recipient_id":"15551234567"}""".formatted(wamid, status, ts);
    }

    JsonNode onlyConversation(Channel ch) {
        Answer list = get("/api/v1/conversations?integration_id=" + ch.integrationId(), ch.org().ownerToken());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("data")).hasSize(1);
        return list.json().at("/data/0");
    }

    JsonNode messagesOf(Channel ch, JsonNode conversation) {
        Answer page = get("/api/v1/conversations/" + conversation.get("id").asString() + "/messages?limit=200",
                ch.org().ownerToken());
        assertThat(page.status()).isEqualTo(200);
        return page.json().get("data");
    }

    JsonNode message(Channel ch, Object id) {
        Answer one = get("/api/v1/messages/" + id, ch.org().ownerToken());
        assertThat(one.status()).isEqualTo(200);
        return one.json();
    }

    // ------------------------------------------------------------------ every inbound type

    @Test
    void everyInboundTypeOfTheConformancePayloadsIsStoredWithItsContent() throws IOException {
        Map<String, String> types = new java.util.TreeMap<>();
        List<String> files;
        try (var stream = Files.list(PAYLOADS)) {
            files = stream.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("inbound-")).sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        for (String f : files) {
            Channel ch = channel();
            WebhookPayload payload = file(f);
            InboundResult result = deliver(ch, payload);
            assertThat(result.messagesStored()).as(f).isEqualTo(payload.messageEvents().size());
            JsonNode conversation = onlyConversation(ch);
            assertThat(conversation.at("/contact/wa_id").asString()).as(f)
                    .isEqualTo(payload.messageEvents().get(0).message().from());
            JsonNode m = message(ch, messagesOf(ch, conversation).get(0).get("id").asString());
            assertThat(m.get("direction").asString()).isEqualTo("inbound");
            assertThat(m.get("status").asString()).isEqualTo("received");
            assertThat(m.get("wamid").asString()).isEqualTo(payload.messageEvents().get(0).message().id());
            assertThat(m.get("raw").get("id").asString()).isEqualTo(m.get("wamid").asString());
            types.put(f, m.get("type").asString());
            JsonNode c = m.get("content");
            switch (f) {
                case "inbound-text.json" -> assertThat(c.get("body").asString()).isEqualTo("Body Text");
                case "inbound-image.json" -> {
                    assertThat(c.get("id").asString()).isEqualTo("8472976218001204");
                    assertThat(c.get("mime_type").asString()).isEqualTo("image/jpeg");
                    assertThat(c.get("sha256").asString()).isNotEmpty();
                }
                case "inbound-document.json" -> assertThat(c.get("filename").asString()).isEqualTo("4_641947.pdf");
                case "inbound-video.json" -> assertThat(c.get("caption").asString()).isEqualTo("caption");
                case "inbound-voice.json" -> assertThat(c.get("voice").asBoolean()).isTrue();
                case "inbound-sticker.json" -> assertThat(c.get("mime_type").asString()).isEqualTo("image/webp");
                case "inbound-location.json" -> assertThat(c.get("latitude").asDouble()).isEqualTo(-10.93941311633);
                case "inbound-contacts.json" ->
                        assertThat(c.at("/0/name/formatted_name").asString()).isEqualTo("Person Ok");
                case "inbound-interactive-button-reply.json" ->
                        assertThat(c.at("/button_reply/id").asString()).isEqualTo("callback_data");
                case "inbound-interactive-list-reply.json" ->
                        assertThat(c.at("/list_reply/description").asString()).isEqualTo("description");
                case "inbound-interactive-nfm-reply.json" ->
                        assertThat(c.at("/nfm_reply/response_json").asString()).contains("delivery_rating");
                case "inbound-button-template-quick-reply.json" -> {
                    assertThat(c.get("payload").asString()).isEqualTo("SIM");
                    assertThat(m.at("/context/wamid").isString()).isTrue();
                }
                case "inbound-order.json" -> {
                    assertThat(c.get("catalog_id").asString()).isEqualTo("354160437058781");
                    assertThat(c.at("/product_items/0/product_retailer_id").asString()).isEqualTo("HAMBURGER");
                }
                case "inbound-referral.json" -> {
                    assertThat(c.get("body").asString()).isEqualTo("BODY");
                    assertThat(m.get("referral").isObject()).isTrue();
                    assertThat(m.get("referral").has("source_url")).isTrue();
                }
                case "inbound-reply-context.json" ->
                        assertThat(m.at("/context/wamid").asString()).isEqualTo("wamid.xyzxyz==");
                case "inbound-forwarded.json" -> assertThat(m.at("/context/forwarded").asBoolean()
                        || m.at("/context/frequently_forwarded").asBoolean()).isTrue();
                case "inbound-system-user-changed-number.json" ->
                        assertThat(c.get("type").asString()).isEqualTo("user_changed_number");
                case "inbound-reaction.json", "inbound-reaction-escaped-emoji.json" ->
                        assertThat(m.at("/reaction/emoji").asString()).isNotEmpty();
                case "inbound-reaction-removed.json" -> {
                    assertThat(m.at("/reaction/removed").asBoolean()).isTrue();
                    assertThat(m.at("/reaction/wamid").asString()).isEqualTo("wamid.yzxyzx=");
                }
                case "inbound-unsupported.json" -> {
                    assertThat(c.get("original_type").asString()).isEqualTo("unsupported");
                    assertThat(m.at("/error/code").asInt()).isEqualTo(131051);
                }
                case "inbound-unknown-meta-postman.json" -> {
                    assertThat(c.get("original_type").asString()).isEqualTo("unknown");
                    assertThat(m.at("/error/code").asInt()).isEqualTo(130501);
                    assertThat(m.at("/error/title").asString()).isEqualTo("Unsupported message type");
                }
                case "inbound-value-errors.json" -> assertThat(m.get("type").asString()).isEqualTo("interactive");
                default -> { }
            }
        }
        assertThat(types.values()).contains("text", "image", "video", "audio", "document", "sticker", "location",
                "contacts", "interactive", "button", "reaction", "order", "system", "unsupported");
    }

    @Test
    void aTypeParleyDoesNotKnowIsStoredAsUnsupportedWithItsRawJson() {
        Channel ch = channel();
        deliver(ch, webhook("15551230000", "Zoe", """
                {"from":"15551230000","id":"wamid.hologram1","timestamp":"1700000000","type":"hologram",
                 "hologram":{"shape":"cube","spin":3}}""", ""));
        JsonNode m = message(ch, messagesOf(ch, onlyConversation(ch)).get(0).get("id").asString());
        assertThat(m.get("type").asString()).isEqualTo("unsupported");
        assertThat(m.at("/content/original_type").asString()).isEqualTo("hologram");
        assertThat(m.at("/content/original/shape").asString()).isEqualTo("cube");
        assertThat(m.at("/raw/hologram/spin").asInt()).isEqualTo(3);
    }

    // ------------------------------------------------------------------ contacts and conversations

    @Test
    void aConversationTracksItsContactLastMessageAndTheCustomerWindow() {
        Channel ch = channel();
        deliver(ch, webhook("15551234567", "Ana", text("15551234567", "wamid.w1", 1_700_000_000L, "hi"), ""));
        deliver(ch, webhook("15551234567", "Ana Maria", text("15551234567", "wamid.w2", 1_700_000_600L, "again"), ""));
        JsonNode c = onlyConversation(ch);
        assertThat(c.at("/contact/wa_id").asString()).isEqualTo("15551234567");
        assertThat(c.at("/contact/name").asString()).isEqualTo("Ana Maria");
        assertThat(Instant.parse(c.get("last_message_at").asString())).isEqualTo(Instant.ofEpochSecond(1_700_000_600L));
        assertThat(Instant.parse(c.get("window_expires_at").asString()))
                .isEqualTo(Instant.ofEpochSecond(1_700_000_600L + 24 * 3600));
        assertThat(c.get("unread_count").asInt()).isEqualTo(2);
        assertThat(c.get("integration_id").asString()).isEqualTo(ch.integrationId().toString());
        // Meta's time is kept even when an older message arrives late: it does not move the window back
        deliver(ch, webhook("15551234567", "Ana Maria", text("15551234567", "wamid.w0", 1_699_999_000L, "old"), ""));
        c = onlyConversation(ch);
        assertThat(Instant.parse(c.get("window_expires_at").asString()))
                .isEqualTo(Instant.ofEpochSecond(1_700_000_600L + 24 * 3600));
        JsonNode msgs = messagesOf(ch, c);
        assertThat(msgs).hasSize(3);
        assertThat(msgs.get(0).at("/content/body").asString()).isEqualTo("again");
        assertThat(msgs.get(2).at("/content/body").asString()).isEqualTo("old");
        assertThat(Instant.parse(msgs.get(2).get("timestamp").asString())).isEqualTo(Instant.ofEpochSecond(1_699_999_000L));
    }

    @Test
    void everyMessageOfABatchIsStoredInItsOwnContactsConversation() {
        Channel ch = channel();
        String batch = String.join(",", text("15550000001", "wamid.b1", 1_700_000_001L, "one"),
                text("15550000002", "wamid.b2", 1_700_000_002L, "two"),
                text("15550000001", "wamid.b3", 1_700_000_003L, "three"));
        InboundResult r = deliver(ch, webhook("15550000001", "First", batch, ""));
        assertThat(r.messagesStored()).isEqualTo(3);
        assertThat(r.stored()).hasSize(3).doesNotHaveDuplicates();
        JsonNode list = get("/api/v1/conversations?integration_id=" + ch.integrationId(), ch.org().ownerToken())
                .json().get("data");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).at("/contact/wa_id").asString()).isEqualTo("15550000001");
        assertThat(messagesOf(ch, list.get(0))).hasSize(2);
        assertThat(messagesOf(ch, list.get(1))).hasSize(1);
    }

    // ------------------------------------------------------------------ replies and reactions

    @Test
    void repliesLinkToTheQuotedMessageAndReactionsAttachToTheirTarget() {
        Channel ch = channel();
        String from = "15557654321";
        // the reaction arrives before the message it reacts to: it is attached all the same
        deliver(ch, webhook(from, "Bo", """
                {"from":"%s","id":"wamid.r1","timestamp":"1700000100","type":"reaction",
                 "reaction":{"message_id":"wamid.t1","emoji":"\\u2764"}}""".formatted(from), ""));
        deliver(ch, webhook(from, "Bo", text(from, "wamid.t1", 1_700_000_000L, "target"), ""));
        deliver(ch, webhook(from, "Bo", """
                {"from":"%s","id":"wamid.q1","timestamp":"1700000200","type":"text","text":{"body":"quoting"},
                 "context":{"from":"15550001111","id":"wamid.t1"}}""".formatted(from), ""));
        JsonNode all = messagesOf(ch, onlyConversation(ch));
        String targetId = null;
        String replyId = null;
        for (JsonNode m : all) {
            if (m.get("wamid").asString().equals("wamid.t1")) {
                targetId = m.get("id").asString();
            }
            if (m.get("wamid").asString().equals("wamid.q1")) {
                replyId = m.get("id").asString();
            }
        }
        JsonNode target = message(ch, targetId);
        assertThat(target.get("reactions")).hasSize(1);
        assertThat(target.at("/reactions/0/emoji").asString()).isEqualTo("\u2764");
        assertThat(target.at("/reactions/0/from").asString()).isEqualTo("contact");
        JsonNode reply = message(ch, replyId);
        assertThat(reply.at("/context/wamid").asString()).isEqualTo("wamid.t1");
        assertThat(reply.at("/context/message_id").asString()).isEqualTo(targetId);

        // a changed reaction replaces the old one; an empty emoji removes it
        deliver(ch, webhook(from, "Bo", """
                {"from":"%s","id":"wamid.r2","timestamp":"1700000300","type":"reaction",
                 "reaction":{"message_id":"wamid.t1","emoji":"\\ud83d\\udc4d"}}""".formatted(from), ""));
        assertThat(message(ch, targetId).at("/reactions/0/emoji").asString()).isEqualTo("\ud83d\udc4d");
        assertThat(message(ch, targetId).get("reactions")).hasSize(1);
        deliver(ch, webhook(from, "Bo", """
                {"from":"%s","id":"wamid.r3","timestamp":"1700000400","type":"reaction",
                 "reaction":{"message_id":"wamid.t1","emoji":""}}""".formatted(from), ""));
        assertThat(message(ch, targetId).get("reactions")).isEmpty();
        // in the list, too
        for (JsonNode m : messagesOf(ch, onlyConversation(ch))) {
            if (m.get("wamid").asString().equals("wamid.r1")) {
                assertThat(m.at("/reaction/message_id").asString()).isEqualTo(targetId);
            }
        }
    }

    @Test
    void aCustomersReactionToAnOutboundMessageAttachesToIt() {
        Channel ch = channel();
        UUID sent = outbound.record(ch.org().org().id(), ch.integrationId(), "+1 555 111 2222", "text",
                JSON.readTree("{\"body\":\"our offer\"}"), null);
        outbound.accepted(sent, "wamid.out-react");
        deliver(ch, webhook("15551112222", "Cy", """
                {"from":"15551112222","id":"wamid.in-react","timestamp":"1700000100","type":"reaction",
                 "reaction":{"message_id":"wamid.out-react","emoji":"\\ud83d\\ude00"}}""", ""));
        JsonNode m = message(ch, sent);
        assertThat(m.get("direction").asString()).isEqualTo("outbound");
        assertThat(m.at("/content/body").asString()).isEqualTo("our offer");
        assertThat(m.at("/reactions/0/emoji").asString()).isEqualTo("\ud83d\ude00");
        assertThat(onlyConversation(ch).at("/contact/wa_id").asString()).isEqualTo("15551112222");
    }

    // ------------------------------------------------------------------ exactly once

    @Test
    void aRedeliveredMessageOrStatusIsStoredOnce() {
        Channel ch = channel();
        UUID out = outbound.record(ch.org().org().id(), ch.integrationId(), "15553334444", "text",
                JSON.readTree("{\"body\":\"x\"}"), null);
        outbound.accepted(out, "wamid.once-out");
        WebhookPayload payload = webhook("15553334444", "Di", text("15553334444", "wamid.once", 1_700_000_000L, "hi"),
                status("wamid.once-out", "delivered", 1_700_000_050L));
        InboundResult first = deliver(ch, payload);
        InboundResult second = deliver(ch, payload);
        assertThat(first.messagesStored()).isEqualTo(1);
        assertThat(first.statusesApplied()).isEqualTo(1);
        assertThat(second.messagesStored()).isZero();
        assertThat(second.messagesDuplicate()).isEqualTo(1);
        assertThat(second.statusesDuplicate()).isEqualTo(1);
        assertThat(second.stored()).isEmpty();
        JsonNode c = onlyConversation(ch);
        assertThat(messagesOf(ch, c)).hasSize(2);
        assertThat(c.get("unread_count").asInt()).isEqualTo(1);
        assertThat(message(ch, out).get("statuses")).hasSize(1);
    }

    @Test
    void concurrentDuplicateDeliveriesStoreEachMessageAndStatusOnce() throws Exception {
        Channel ch = channel();
        List<String> wamids = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String from = "1555999000" + (i % 3);
            wamids.add("wamid.conc" + i);
            items.add(text(from, "wamid.conc" + i, 1_700_000_000L + i, "m" + i));
        }
        UUID out = outbound.record(ch.org().org().id(), ch.integrationId(), "15559990000", "text",
                JSON.readTree("{\"body\":\"x\"}"), null);
        outbound.accepted(out, "wamid.conc-out");
        WebhookPayload payload = webhook("15559990000", "Ed", String.join(",", items),
                String.join(",", status("wamid.conc-out", "sent", 1_700_000_010L),
                        status("wamid.conc-out", "delivered", 1_700_000_020L),
                        status("wamid.conc-out", "read", 1_700_000_030L)));
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<InboundResult>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<InboundResult> task = () -> {
                    start.await();
                    return deliver(ch, payload);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int stored = 0;
            int duplicates = 0;
            int statusesStored = 0;
            for (Future<InboundResult> f : results) {
                InboundResult r = f.get();
                stored += r.messagesStored();
                duplicates += r.messagesDuplicate();
                statusesStored += r.statusesApplied();
            }
            assertThat(stored).isEqualTo(6);
            assertThat(duplicates).isEqualTo(6 * (threads - 1));
            assertThat(statusesStored).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        JsonNode list = get("/api/v1/conversations?integration_id=" + ch.integrationId(), ch.org().ownerToken())
                .json().get("data");
        assertThat(list).hasSize(3);
        int total = 0;
        List<String> seen = new ArrayList<>();
        for (JsonNode c : list) {
            JsonNode msgs = messagesOf(ch, c);
            total += msgs.size();
            msgs.forEach(m -> seen.add(m.get("wamid").asString()));
        }
        assertThat(total).isEqualTo(7);
        assertThat(seen).containsAll(wamids).doesNotHaveDuplicates();
        JsonNode o = message(ch, out);
        assertThat(o.get("status").asString()).isEqualTo("read");
        assertThat(o.get("statuses")).hasSize(3);
    }

    @Test
    void manyDeliveriesAppliedTogetherStoreExactlyWhatTheyStoreOneAtATime() throws IOException {
        // every conformance payload (messages and statuses of every kind), then redeliveries, statuses of outbound
        // messages in any order (a late delivered, a failed, one before its message is accepted), a new profile
        // name, a system message, and a message of a new contact: once one at a time, once in one applyAll
        List<WebhookPayload> deliveries = new ArrayList<>();
        try (var stream = Files.list(PAYLOADS)) {
            for (String f : stream.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("inbound-") || n.startsWith("status-")).sorted().toList()) {
                deliveries.add(file(f));
            }
        }
        WebhookPayload failed = file("status-failed.json");
        String failedWamid = failed.statusEvents().get(0).status().id();
        deliveries.add(webhook("15557770000", "Ana", String.join(",", text("15557770000", "wamid.t1", 1_700_000_100L,
                "one"), text("15557770000", "wamid.t2", 1_700_000_050L, "two")),
                String.join(",", status("wamid.out1", "sent", 1_700_000_010L), status("wamid.out1", "read", 1_700_000_030L))));
        deliveries.add(webhook("15557770000", "Ana B.", text("15557770000", "wamid.t1", 1_700_000_100L, "one"),
                String.join(",", status("wamid.out1", "delivered", 1_700_000_020L), status("wamid.out1", "sent",
                        1_700_000_010L), status("wamid.out2", "sent", 1_700_000_011L))));
        deliveries.add(webhook("15557770000", "Ana B.", text("15557770000", "wamid.t3", 1_700_000_200L, "three"),
                status(failedWamid, "sent", 1_682_651_800L)));
        deliveries.add(failed);
        deliveries.add(webhook("15558880000", "Bo", text("15558880000", "wamid.t4", 1_700_000_300L, "four"),
                status(failedWamid, "delivered", 1_682_651_900L)));
        deliveries.add(webhook("15557770000", "Ana B.", text("15557770000", "wamid.t2", 1_700_000_050L, "two"),
                status("wamid.early", "sent", 1_700_000_001L)));

        Channel single = channel();
        Channel batched = channel();
        for (Channel ch : List.of(single, batched)) {
            UUID o1 = outbound.record(ch.org().org().id(), ch.integrationId(), "15557770000", "text",
                    JSON.readTree("{\"body\":\"out\"}"), null);
            outbound.accepted(o1, "wamid.out1");
            UUID o2 = outbound.record(ch.org().org().id(), ch.integrationId(), "15559990000", "text",
                    JSON.readTree("{\"body\":\"out2\"}"), null);
            outbound.accepted(o2, "wamid.out2");
            UUID o3 = outbound.record(ch.org().org().id(), ch.integrationId(), "5511111111111", "text",
                    JSON.readTree("{\"body\":\"late\"}"), null);
            outbound.accepted(o3, failedWamid);
        }
        List<InboundResult> one = new ArrayList<>();
        List<InboundGroup> groups = new ArrayList<>();
        for (WebhookPayload p : deliveries) {
            one.add(deliver(single, p));
            groups.add(new InboundGroup(batched.context(), p.messageEvents(), p.statusEvents()));
        }
        List<InboundResult> together = inbound.applyAll(groups);
        assertThat(together).hasSize(one.size());
        for (int i = 0; i < one.size(); i++) {
            InboundResult a = one.get(i);
            InboundResult b = together.get(i);
            assertThat(List.of(b.messagesStored(), b.messagesDuplicate(), b.statusesApplied(), b.statusesDuplicate(),
                    b.stored().size())).as("delivery %d", i).isEqualTo(List.of(a.messagesStored(),
                    a.messagesDuplicate(), a.statusesApplied(), a.statusesDuplicate(), a.stored().size()));
        }
        // the redeliveries above, plus the payloads that share wamids
        assertThat(one.stream().mapToInt(InboundResult::messagesDuplicate).sum()).isGreaterThanOrEqualTo(2);
        assertThat(one.stream().mapToInt(InboundResult::statusesDuplicate).sum()).isGreaterThanOrEqualTo(1);
        for (Channel ch : List.of(single, batched)) {
            UUID late = outbound.record(ch.org().org().id(), ch.integrationId(), "15557770000", "text",
                    JSON.readTree("{\"body\":\"racing\"}"), null);
            outbound.accepted(late, "wamid.early");
        }
        assertThat(everything(batched)).isEqualTo(everything(single));
        assertThat(everything(single).toString()).contains("wamid.t4", "\"status\":\"failed\"", "Ana B.");
    }

    /** Every conversation and message of the channel through the API, without ids and local times. */
    List<JsonNode> everything(Channel ch) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode list = get("/api/v1/conversations?integration_id=" + ch.integrationId() + "&limit=200",
                ch.org().ownerToken()).json().get("data");
        List<JsonNode> conversations = new ArrayList<>();
        list.forEach(conversations::add);
        conversations.sort(java.util.Comparator.comparing(c -> c.at("/contact/wa_id").asString()));
        for (JsonNode c : conversations) {
            List<JsonNode> messages = new ArrayList<>();
            for (JsonNode m : messagesOf(ch, c)) {
                messages.add(strip(message(ch, m.get("id").asString())));
            }
            messages.sort(java.util.Comparator.comparing(m -> m.toString()));
            JsonNode conversation = strip(c);
            if (messages.stream().anyMatch(m -> m.get("direction").asString().equals("outbound"))) {
                // an outbound message moves last_message_at to the (local) time it was queued
                ((tools.jackson.databind.node.ObjectNode) conversation).remove("last_message_at");
            }
            ((tools.jackson.databind.node.ObjectNode) conversation).set("messages",
                    JSON.valueToTree(messages));
            out.add(conversation);
        }
        return out;
    }

    static final java.util.Set<String> LOCAL = java.util.Set.of("id", "integration_id", "conversation_id",
            "created_at", "updated_at", "received_at", "applied_at", "delivery_id", "message_id", "seq");

    static JsonNode strip(JsonNode n) {
        JsonNode copy = n.deepCopy();
        stripInPlace(copy);
        return copy;
    }

    private static void stripInPlace(JsonNode n) {
        if (n instanceof tools.jackson.databind.node.ObjectNode o) {
            o.remove(LOCAL);
            o.forEach(MessagingContract::stripInPlace);
        } else if (n.isArray()) {
            n.forEach(MessagingContract::stripInPlace);
        }
    }

    // ------------------------------------------------------------------ statuses

    @Test
    void statusesMoveForwardOnlyAndKeepMetasTimes() {
        Channel ch = channel();
        UUID id = outbound.record(ch.org().org().id(), ch.integrationId(), "15552223333", "text",
                JSON.readTree("{\"body\":\"hello\"}"), null);
        assertThat(message(ch, id).get("status").asString()).isEqualTo("queued");
        outbound.accepted(id, "wamid.fwd");
        deliver(ch, webhook("15552223333", "Fi", "", status("wamid.fwd", "sent", 1_700_000_010L)));
        JsonNode m = message(ch, id);
        assertThat(m.get("status").asString()).isEqualTo("sent");
        assertThat(Instant.parse(m.get("sent_at").asString())).isEqualTo(Instant.ofEpochSecond(1_700_000_010L));
        deliver(ch, webhook("15552223333", "Fi", "", status("wamid.fwd", "read", 1_700_000_030L)));
        // a late delivered never overwrites read, but its own time is kept
        deliver(ch, webhook("15552223333", "Fi", "", status("wamid.fwd", "delivered", 1_700_000_020L)));
        m = message(ch, id);
        assertThat(m.get("status").asString()).isEqualTo("read");
        assertThat(Instant.parse(m.get("read_at").asString())).isEqualTo(Instant.ofEpochSecond(1_700_000_030L));
        assertThat(Instant.parse(m.get("delivered_at").asString())).isEqualTo(Instant.ofEpochSecond(1_700_000_020L));
        assertThat(m.get("error").isNull()).isTrue();
        assertThat(m.get("statuses")).hasSize(3);
        assertThat(m.at("/statuses/0/status").asString()).isEqualTo("sent");
    }

    @Test
    void failedIsFinalAndKeepsMetasError() {
        Channel ch = channel();
        UUID id = outbound.record(ch.org().org().id(), ch.integrationId(), "5511111111111", "text",
                JSON.readTree("{\"body\":\"late\"}"), null);
        WebhookPayload failed = file("status-failed.json");
        String wamid = failed.statusEvents().get(0).status().id();
        outbound.accepted(id, wamid);
        deliver(ch, webhook("5511111111111", "Gu", "", status(wamid, "sent", 1_682_651_800L)));
        deliver(ch, failed);
        deliver(ch, webhook("5511111111111", "Gu", "", status(wamid, "delivered", 1_682_651_900L)));
        JsonNode m = message(ch, id);
        assertThat(m.get("status").asString()).isEqualTo("failed");
        assertThat(Instant.parse(m.get("failed_at").asString())).isEqualTo(Instant.ofEpochSecond(1_682_651_887L));
        assertThat(m.at("/error/code").asInt()).isEqualTo(131047);
        assertThat(m.at("/error/title").asString()).isEqualTo("Re-engagement message");
        assertThat(m.at("/error/message").asString()).isEqualTo("Re-engagement message");
        assertThat(m.at("/error/details").asString()).contains("24 hours");
    }

    @Test
    void aStatusThatArrivesBeforeItsMessageIsAppliedWhenTheMessageIsRecorded() {
        Channel ch = channel();
        InboundResult early = deliver(ch, webhook("15554445555", "Ha", "",
                String.join(",", status("wamid.early", "sent", 1_700_000_001L),
                        status("wamid.early", "delivered", 1_700_000_002L))));
        assertThat(early.statusesApplied()).isEqualTo(2);
        UUID id = outbound.record(ch.org().org().id(), ch.integrationId(), "15554445555", "text",
                JSON.readTree("{\"body\":\"racing\"}"), null);
        outbound.accepted(id, "wamid.early");
        JsonNode m = message(ch, id);
        assertThat(m.get("status").asString()).isEqualTo("delivered");
        assertThat(Instant.parse(m.get("delivered_at").asString())).isEqualTo(Instant.ofEpochSecond(1_700_000_002L));
        assertThat(Instant.parse(m.get("sent_at").asString())).isEqualTo(Instant.ofEpochSecond(1_700_000_001L));
        assertThat(statuses.applyPendingStatuses(ch.integrationId(), "wamid.early")).isEqualTo(2);
        assertThat(message(ch, id).get("status").asString()).isEqualTo("delivered");
    }

    @Test
    void manyAnswersRecordedTogetherStoreEachWamidAndApplyStatusesThatArrivedFirst() {
        Channel ch = channel();
        deliver(ch, webhook("15554446666", "Ha", "", status("wamid.all-early", "delivered", 1_700_000_005L)));
        java.util.Map<UUID, String> wamids = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            UUID id = outbound.record(ch.org().org().id(), ch.integrationId(), "1555444" + (6000 + i), "text",
                    JSON.readTree("{\"body\":\"together " + i + "\"}"), null);
            wamids.put(id, i == 7 ? "wamid.all-early" : "wamid.all-" + i);
        }
        // one of them is not this integration's: nothing of the call is stored
        Channel other = channel();
        UUID foreign = outbound.record(other.org().org().id(), other.integrationId(), "15554449999", "text",
                JSON.readTree("{\"body\":\"elsewhere\"}"), null);
        java.util.Map<UUID, String> withForeign = new java.util.LinkedHashMap<>(wamids);
        withForeign.put(foreign, "wamid.all-foreign");
        assertThatThrownBy(() -> outbound.acceptedAll(ch.integrationId(), withForeign))
                .isInstanceOf(IllegalArgumentException.class);
        wamids.keySet().forEach(id -> assertThat(message(ch, id).get("wamid").isNull()).isTrue());

        outbound.acceptedAll(ch.integrationId(), wamids);
        wamids.forEach((id, wamid) -> {
            JsonNode m = message(ch, id);
            assertThat(m.get("wamid").asString()).isEqualTo(wamid);
            assertThat(m.get("status").asString()).isEqualTo(wamid.equals("wamid.all-early") ? "delivered" : "queued");
        });
    }

    // ------------------------------------------------------------------ the API

    @Test
    void conversationsAndMessagesArePagedNewestFirst() {
        Channel ch = channel();
        for (int i = 0; i < 5; i++) {
            deliver(ch, webhook("1555100000" + i, "P" + i, text("1555100000" + i, "wamid.p" + i,
                    1_700_000_000L + i, "c" + i), ""));
        }
        List<String> order = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            Answer page = get("/api/v1/conversations?limit=2&integration_id=" + ch.integrationId()
                    + (before == null ? "" : "&before=" + before), ch.org().ownerToken());
            assertThat(page.status()).isEqualTo(200);
            page.json().get("data").forEach(c -> order.add(c.at("/contact/wa_id").asString()));
            before = page.json().get("next_before").isNull() ? null : page.json().get("next_before").asString();
            pages++;
        } while (before != null && pages < 10);
        assertThat(order).containsExactly("15551000004", "15551000003", "15551000002", "15551000001",
                "15551000000");
        assertThat(pages).isEqualTo(3);

        Channel one = channel();
        for (int i = 0; i < 5; i++) {
            deliver(one, webhook("15552000000", "Q", text("15552000000", "wamid.mp" + i, 1_700_000_000L, "m" + i),
                    ""));
        }
        String conversation = onlyConversation(one).get("id").asString();
        List<String> bodies = new ArrayList<>();
        before = null;
        pages = 0;
        do {
            Answer page = get("/api/v1/conversations/" + conversation + "/messages?limit=2"
                    + (before == null ? "" : "&before=" + before), one.org().ownerToken());
            page.json().get("data").forEach(m -> bodies.add(m.at("/content/body").asString()));
            before = page.json().get("next_before").isNull() ? null : page.json().get("next_before").asString();
            pages++;
        } while (before != null && pages < 10);
        // same second: newest stored first
        assertThat(bodies).containsExactly("m4", "m3", "m2", "m1", "m0");
        assertThat(get("/api/v1/conversations?before=nonsense", one.org().ownerToken()).status()).isEqualTo(400);
        assertThat(get("/api/v1/conversations?limit=0", one.org().ownerToken()).status()).isEqualTo(400);
    }

    @Test
    void anotherOrganizationsConversationsAndMessagesAnswer404() {
        Channel ch = channel();
        deliver(ch, webhook("15556667777", "Io", text("15556667777", "wamid.secret", 1_700_000_000L, "private"), ""));
        JsonNode c = onlyConversation(ch);
        String messageId = messagesOf(ch, c).get(0).get("id").asString();
        TestOrg other = newOrg();
        assertThat(get("/api/v1/conversations/" + c.get("id").asString(), other.ownerToken()).status()).isEqualTo(404);
        assertThat(get("/api/v1/conversations/" + c.get("id").asString() + "/messages", other.ownerToken()).status())
                .isEqualTo(404);
        assertThat(get("/api/v1/messages/" + messageId, other.ownerToken()).status()).isEqualTo(404);
        assertThat(get("/api/v1/messages/not-a-uuid", other.ownerToken()).status()).isEqualTo(404);
        Answer list = get("/api/v1/conversations?integration_id=" + ch.integrationId(), other.ownerToken());
        assertThat(list.json().get("data")).isEmpty();
        assertThat(get("/api/v1/conversations", other.ownerToken()).body()).doesNotContain("private", "15556667777");
        // every role of the organization reads conversations
        assertThat(get("/api/v1/messages/" + messageId, tokenFor(ch.org(), Role.AGENT)).status()).isEqualTo(200);
        assertThat(get("/api/v1/conversations", null).status()).isEqualTo(401);
    }
}
