package dev.parley.server.sandbox;

import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox channel: created on start in the Default organization, wired to the built-in emulator, so that a
 * simulated customer's message arrives through a signed webhook and shows up in the conversations API.
 */
@TestPropertySource(properties = "parley.sandbox.enabled=true")
abstract class SandboxContract extends ApiTestBase {

    @Autowired
    Sandbox sandbox;

    private List<JsonNode> sandboxIntegrations() {
        Answer list = get("/api/v1/channels/whatsapp/integrations", BOOTSTRAP_TOKEN);
        assertThat(list.status()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode i : list.json().path("data")) {
            if (i.path("name").asString().equals("Sandbox")) {
                found.add(i);
            }
        }
        return found;
    }

    private JsonNode conversationWith(String waId) {
        Answer conversations = get("/api/v1/conversations?limit=100", BOOTSTRAP_TOKEN);
        for (JsonNode c : conversations.json().path("data")) {
            if (c.path("contact").path("wa_id").asString().equals(waId)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void theDefaultOrganizationHasASandboxIntegrationPointingAtTheEmulator() {
        Answer info = get("/api/v1/sandbox", BOOTSTRAP_TOKEN);
        assertThat(info.status()).isEqualTo(200);
        List<JsonNode> integrations = sandboxIntegrations();
        assertThat(integrations).hasSize(1);
        JsonNode integration = integrations.get(0);
        assertThat(integration.path("id").asString()).isEqualTo(info.json().path("integration_id").asString());
        assertThat(integration.path("graph_base_url").asString()).isEqualTo(info.json().path("emulator_url").asString());
        assertThat(integration.path("phone_number_id").asString())
                .isEqualTo(info.json().path("phone_number_id").asString());
        // secrets are stored like any channel's: masked in the API
        assertThat(integration.path("app_secret").asString()).startsWith("••••");
    }

    @Test
    void aSimulatedCustomerMessageArrivesInTheConversations() {
        String from = "1555" + (1000000 + (int) (Math.random() * 8999999));
        Answer sent = post("/api/v1/sandbox/messages", BOOTSTRAP_TOKEN, "{\"from\":\"+" + from
                + "\",\"name\":\"Ana\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"hello from the sandbox\"}}}");
        assertThat(sent.status()).isEqualTo(202);
        String wamid = sent.json().path("wamid").asString();
        assertThat(wamid).startsWith("wamid.");

        await().atMost(Duration.ofSeconds(20)).until(() -> conversationWith(from) != null);
        JsonNode conversation = conversationWith(from);
        assertThat(conversation.path("contact").path("name").asString()).isEqualTo("Ana");
        Answer messages = get("/api/v1/conversations/" + conversation.path("id").asString() + "/messages",
                BOOTSTRAP_TOKEN);
        JsonNode message = messages.json().path("data").get(0);
        assertThat(message.path("wamid").asString()).isEqualTo(wamid);
        assertThat(message.path("direction").asString()).isEqualTo("inbound");
        assertThat(message.path("content").path("body").asString()).isEqualTo("hello from the sandbox");
    }

    @Test
    void aRestartReusesTheSandboxIntegrationAndMessagesStillFlow() {
        String before = get("/api/v1/sandbox", BOOTSTRAP_TOKEN).json().path("integration_id").asString();
        sandbox.start();
        Answer after = get("/api/v1/sandbox", BOOTSTRAP_TOKEN);
        assertThat(after.json().path("integration_id").asString()).isEqualTo(before);
        assertThat(sandboxIntegrations()).hasSize(1);
        assertThat(sandboxIntegrations().get(0).path("graph_base_url").asString())
                .isEqualTo(after.json().path("emulator_url").asString());

        String from = "1556" + (1000000 + (int) (Math.random() * 8999999));
        assertThat(post("/api/v1/sandbox/messages", BOOTSTRAP_TOKEN, "{\"from\":\"" + from
                + "\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"after restart\"}}}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> conversationWith(from) != null);
    }

    @Test
    void aDeletedSandboxIntegrationIsCreatedAgainOnTheNextStart() {
        String old = get("/api/v1/sandbox", BOOTSTRAP_TOKEN).json().path("integration_id").asString();
        assertThat(call("DELETE", "/api/v1/channels/whatsapp/integrations/" + old, BOOTSTRAP_TOKEN, null).status())
                .isIn(200, 204);
        sandbox.start();
        String fresh = get("/api/v1/sandbox", BOOTSTRAP_TOKEN).json().path("integration_id").asString();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(sandboxIntegrations()).extracting(i -> i.path("id").asString()).containsExactly(fresh);
    }

    @Test
    void otherOrganizationsDoNotSeeTheSandbox() {
        TestOrg other = newOrg();
        assertThat(get("/api/v1/sandbox", other.ownerToken()).status()).isEqualTo(404);
        assertThat(post("/api/v1/sandbox/messages", other.ownerToken(),
                "{\"from\":\"15551234567\",\"message\":{\"type\":\"text\",\"text\":{\"body\":\"x\"}}}").status())
                .isEqualTo(404);
    }

    @Test
    void badCustomerMessagesAreRefusedWithTheRule() {
        Answer noFrom = post("/api/v1/sandbox/messages", BOOTSTRAP_TOKEN,
                "{\"message\":{\"type\":\"text\",\"text\":{\"body\":\"x\"}}}");
        assertThat(noFrom.status()).isEqualTo(422);
        assertThat(noFrom.json().path("error").path("message").asString()).contains("from");
        Answer noType = post("/api/v1/sandbox/messages", BOOTSTRAP_TOKEN, "{\"from\":\"15551234567\",\"message\":{}}");
        assertThat(noType.status()).isEqualTo(422);
        assertThat(noType.json().path("error").path("message").asString()).contains("type");
    }
}
