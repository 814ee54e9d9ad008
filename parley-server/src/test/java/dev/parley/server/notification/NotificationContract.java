package dev.parley.server.notification;

import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Owners' notifications coalesce repeats, count unread ones, are marked read, and stay in their organization. */
abstract class NotificationContract extends ApiTestBase {

    @Autowired
    Notifications notifications;

    @Test
    void aHundredRepeatsMakeOneNotificationWithACount() throws Exception {
        TestOrg org = newOrg();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Notification>> done = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                done.add(pool.submit(() -> notifications.notifyOwners(org.org().id(), "webhook.signature_invalid",
                        "sig:integration-1", "Webhook signatures fail", "attempt " + n)));
            }
            for (Future<Notification> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        notifications.notifyOwners(org.org().id(), "send.failed", "send:1", "Sending fails", "once");

        Answer list = get("/api/v1/notifications", org.ownerToken());
        assertThat(list.status()).isEqualTo(200);
        JsonNode data = list.json().get("data");
        assertThat(data.size()).isEqualTo(2);
        assertThat(list.json().get("unread_count").asInt()).isEqualTo(2);
        JsonNode coalesced = data.get(1);
        assertThat(coalesced.get("kind").asString()).isEqualTo("webhook.signature_invalid");
        assertThat(coalesced.get("title").asString()).isEqualTo("Webhook signatures fail");
        assertThat(coalesced.get("count").asInt()).isEqualTo(100);
        assertThat(coalesced.get("for").asString()).isEqualTo("owners");
        assertThat(coalesced.get("read_at").isNull()).isTrue();

        String id = coalesced.get("id").asString();
        Answer read = post("/api/v1/notifications/" + id + "/read", org.ownerToken(), null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("read_at").isNull()).isFalse();
        assertThat(get("/api/v1/notifications", org.ownerToken()).json().get("unread_count").asInt()).isEqualTo(1);
        assertThat(get("/api/v1/notifications?unread=true", org.ownerToken()).json().get("data").size()).isEqualTo(1);

        // once read, a repeat starts a new notification
        notifications.notifyOwners(org.org().id(), "webhook.signature_invalid", "sig:integration-1",
                "Webhook signatures fail", "again");
        assertThat(get("/api/v1/notifications", org.ownerToken()).json().get("unread_count").asInt()).isEqualTo(2);
    }

    @Test
    void notificationsStayWithTheirRecipients() {
        TestOrg org = newOrg();
        TestOrg other = newOrg();
        Notification forOwners = notifications.notifyOwners(org.org().id(), "k", null, "For owners", "b");
        String agent = tokenFor(org, Role.AGENT);
        assertThat(get("/api/v1/notifications", agent).json().get("data").size()).isZero();
        assertThat(post("/api/v1/notifications/" + forOwners.id() + "/read", agent, null).status()).isEqualTo(404);
        Answer foreign = post("/api/v1/notifications/" + forOwners.id() + "/read", other.ownerToken(), null);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().at("/error/code").asString()).isEqualTo("not_found");
        assertThat(get("/api/v1/notifications", other.ownerToken()).json().get("data").size()).isZero();

        notifications.notifyUser(org.org().id(), org.owner().id(), "k", null, "Just you", "b");
        assertThat(get("/api/v1/notifications", org.ownerToken()).json().get("unread_count").asInt()).isEqualTo(2);
    }
}
