package dev.parley.server.sending;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole loop with Meta's webhooks: a message sent through the queue gets its statuses from the emulator's
 * signed webhooks (sent, delivered, read), and one that Meta accepts but cannot deliver because the customer's
 * 24-hour window closed on Meta's side ends {@code failed} with 131047 and Meta's reason.
 */
abstract class StatusesEndToEndContract extends SendingTestSupport {

    /** An integration on the shared emulator whose app is subscribed to the integration's own webhook URL. */
    private Channel subscribedChannel() {
        return channel(EMULATOR, true);
    }

    @Test
    void aSentMessageMovesToReadThroughMetasWebhooks() {
        Channel ch = subscribedChannel();
        String to = customer();
        customerWrites(ch, to);
        String id = queued(ch, text(to, "your order shipped"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "read".equals(message(ch, id).path("status").asString()));
        JsonNode m = message(ch, id);
        assertThat(m.path("wamid").asString()).startsWith("wamid.");
        assertThat(m.path("sent_at").isNull()).isFalse();
        assertThat(m.path("read_at").isNull()).isFalse();
    }

    @Test
    void metasClosedWindowEndsTheMessageFailedWith131047() {
        Channel ch = subscribedChannel();
        String to = customer();
        customerWrites(ch, to);
        // Parley still sees the window open; Meta's side has closed it (the customer wrote over 24 hours ago there)
        EMULATOR.closeWindow(ch.pn(), to);
        String id = queued(ch, text(to, "are you still there?"));
        JsonNode failed = awaitFailed(ch, id);
        assertThat(failed.at("/error/code").asInt()).isEqualTo(131047);
        assertThat(failed.at("/error/title").asString()).isNotBlank();
        assertThat(failed.path("failed_at").isNull()).isFalse();
        assertThat(failed.path("wamid").asString()).startsWith("wamid.");
    }
}
