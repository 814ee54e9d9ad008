package dev.parley.server.media;

import dev.parley.server.identity.Role;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read receipts against the real emulator, messages arriving end to end through the signed webhook: on_open
 * (the default) marks the conversation's latest message read when it is opened and resets its unread count;
 * automatic marks each message read once stored; Meta's 190 flags the integration.
 */
abstract class ReadReceiptsContract extends MediaTestSupport {

    String receipts(Connected c) {
        return "/api/v1/channels/whatsapp/integrations/" + c.integrationId() + "/read-receipts";
    }

    /** The conversation once it holds {@code count} messages. */
    JsonNode conversationWith(Connected c, int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            Answer list = get("/api/v1/conversations?integration_id=" + c.integrationId(), c.org().ownerToken());
            JsonNode data = list.json().get("data");
            if (data.isEmpty()) {
                return null;
            }
            Answer page = get("/api/v1/conversations/" + data.get(0).get("id").asString() + "/messages",
                    c.org().ownerToken());
            return page.json().get("data").size() == count ? data.get(0) : null;
        }, conv -> conv != null);
    }

    static String text(String body) {
        return "{\"type\":\"text\",\"text\":{\"body\":\"" + body + "\"}}";
    }

    @Test
    void onOpenIsTheDefaultAndOpeningMarksTheLatestMessageReadAndResetsTheUnreadCount() {
        Connected c = integration(true);
        assertThat(get(receipts(c), tokenFor(c.org(), Role.AGENT)).json().get("mode").asString())
                .isEqualTo("on_open");
        String first = emulator.inbound(c.biz().phoneNumberId(), "15553334444", "Ana", text("hello"));
        String second = emulator.inbound(c.biz().phoneNumberId(), "15553334444", "Ana", text("anyone?"));
        JsonNode conversation = conversationWith(c, 2);
        assertThat(conversation.get("unread_count").asInt()).isEqualTo(2);
        assertThat(emulator.inboundStatus(first)).isEqualTo("received");
        assertThat(emulator.inboundStatus(second)).isEqualTo("received");

        String id = conversation.get("id").asString();
        Answer read = post("/api/v1/conversations/" + id + "/read", tokenFor(c.org(), Role.AGENT), null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().get("marked_wamid").asString()).isEqualTo(second);
        assertThat(read.json().get("unread_count").asInt()).isZero();
        // Meta marks the latest message and the earlier ones of the conversation
        assertThat(emulator.inboundStatus(second)).isEqualTo("read");
        assertThat(emulator.inboundStatus(first)).isEqualTo("read");
        assertThat(get("/api/v1/conversations/" + id, c.org().ownerToken()).json().get("unread_count").asInt())
                .isZero();

        // with the typing indicator (automation about to answer)
        String third = emulator.inbound(c.biz().phoneNumberId(), "15553334444", "Ana", text("hello?"));
        conversationWith(c, 3);
        Answer typing = post("/api/v1/conversations/" + id + "/read", c.org().ownerToken(), "{\"typing\":true}");
        assertThat(typing.status()).as(typing.body()).isEqualTo(200);
        assertThat(emulator.inboundStatus(third)).isEqualTo("read");

        // another organization cannot open it
        assertThat(post("/api/v1/conversations/" + id + "/read", newOrg().ownerToken(), null).status())
                .isEqualTo(404);
    }

    @Test
    void automaticMarksEachMessageReadOnceStored() {
        Connected c = integration(true);
        assertThat(call("PUT", receipts(c), tokenFor(c.org(), Role.AGENT), "{\"mode\":\"automatic\"}").status())
                .isEqualTo(403);
        assertThat(call("PUT", receipts(c), c.org().ownerToken(), "{\"mode\":\"sometimes\"}").status())
                .isEqualTo(422);
        assertThat(call("PUT", receipts(c), newOrg().ownerToken(),
                "{\"mode\":\"automatic\"}").status()).isEqualTo(404);
        Answer set = call("PUT", receipts(c), tokenFor(c.org(), Role.ADMIN), "{\"mode\":\"automatic\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(get(receipts(c), c.org().ownerToken()).json().get("mode").asString()).isEqualTo("automatic");

        String wamid = emulator.inbound(c.biz().phoneNumberId(), "15556667777", "Bo", text("hi there"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "read".equals(emulator.inboundStatus(wamid)));
    }

    @Test
    void anExpiredTokenFlagsTheIntegration() {
        Connected c = integration(true);
        emulator.inbound(c.biz().phoneNumberId(), "15558889999", "Cy", text("hello"));
        JsonNode conversation = conversationWith(c, 1);
        String expired = "EAAG-expired-" + metaId();
        emulator.addAccessToken(expired, c.biz().appId(), Set.of("whatsapp_business_messaging",
                "whatsapp_business_management"), Instant.now().minusSeconds(3600));
        Answer put = call("PUT", INTEGRATIONS + "/" + c.integrationId(), c.org().ownerToken(),
                json(Map.of("access_token", expired)));
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        Answer read = post("/api/v1/conversations/" + conversation.get("id").asString() + "/read",
                c.org().ownerToken(), null);
        assertThat(read.status()).isEqualTo(502);
        assertThat(read.json().at("/error/message").asString()).contains("190");
        assertThat(get(INTEGRATIONS + "/" + c.integrationId(), c.org().ownerToken()).json()
                .get("needs_new_credentials").asBoolean()).isTrue();
    }
}
