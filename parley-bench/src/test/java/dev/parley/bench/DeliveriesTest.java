package dev.parley.bench;

import dev.parley.cloudapi.signature.WebhookSignature;
import dev.parley.cloudapi.webhook.MessageEvent;
import dev.parley.cloudapi.webhook.WebhookParser;
import dev.parley.cloudapi.webhook.WebhookPayload;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated deliveries are what Meta would send: signed, parseable, ASCII-escaped, with fresh wamids. */
class DeliveriesTest {

    private static final List<Deliveries.Target> TARGETS = List.of(
            new Deliveries.Target(0, "/webhooks/whatsapp/a", "7100000000000001", "15550000001", "6100000000000001",
                    "secret-a", null),
            new Deliveries.Target(1, "/webhooks/whatsapp/b", "7100000000000002", "15550000002", "6100000000000002",
                    "secret-b", null));

    @Test
    void everyDeliveryIsSignedWithItsIntegrationsSecretAndCarriesWhatTheLedgerCounts() {
        Deliveries.Generator g = new Deliveries().new Generator("RUN1", 3, TARGETS, "127.0.0.1:1", 25, 42);
        WebhookParser parser = new WebhookParser();
        Set<String> wamids = new HashSet<>();
        Set<String> types = new HashSet<>();
        int batches = 0;
        for (int i = 0; i < 2000; i++) {
            Deliveries.Delivery d = g.next();
            String request = new String(d.request, StandardCharsets.ISO_8859_1);
            int split = request.indexOf("\r\n\r\n");
            byte[] body = Arrays.copyOfRange(d.request, split + 4, d.request.length);
            assertThat(request).startsWith("POST " + d.target.path() + " HTTP/1.1\r\n")
                    .contains("Content-Length: " + body.length + "\r\n");
            String signature = request.substring(request.indexOf("X-Hub-Signature-256: ") + 21,
                    request.indexOf("\r\n", request.indexOf("X-Hub-Signature-256: ")));
            assertThat(WebhookSignature.verify(body, signature, d.target.appSecret())).isTrue();
            for (byte b : body) {
                assertThat(b).as("Meta escapes non-ASCII").isBetween((byte) 0x20, (byte) 0x7e);
            }
            WebhookPayload p = parser.parse(body);
            assertThat(p.phoneNumberIds()).containsOnly(d.target.phoneNumberId());
            List<MessageEvent> messages = p.messageEvents();
            assertThat(messages).extracting(m -> m.message().id()).containsExactly(d.messageWamids);
            assertThat(p.statusEvents()).hasSize(d.statuses);
            messages.forEach(m -> types.add(m.message().type()));
            for (String w : d.messageWamids) {
                assertThat(wamids.add(w)).as("fresh wamid " + w).isTrue();
            }
            if (d.items() > 1) {
                batches++;
            }
        }
        assertThat(types).contains("text", "image", "reaction", "interactive", "location", "order", "unsupported");
        assertThat(batches).isGreaterThan(100);
    }
}
