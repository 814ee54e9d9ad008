package dev.parley.server.template;

import dev.parley.cloudapi.webhook.TemplateCategoryUpdate;
import dev.parley.cloudapi.webhook.TemplateStatusUpdate;
import dev.parley.cloudapi.webhook.WebhookParser;
import dev.parley.cloudapi.webhook.WebhookPayload;
import dev.parley.emulator.CloudApiEmulator;
import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Templates over HTTP: the sync from the Graph API (the real emulator, every page), and the status and category
 * webhooks as the webhook feature hands them over ({@link TemplateUpdates}); organization scoping.
 */
abstract class TemplatesContract extends ApiTestBase {

    static CloudApiEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = CloudApiEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    /** A business of its own in the emulator and its integration in the organization, made through the API. */
    Connected integration(TestOrg org) {
        return connect(emulator, org, "Templates line", false);
    }

    static final Path PAYLOADS = Path.of("..", "parley-cloudapi", "src", "test", "resources", "conformance",
            "payloads");
    static final WebhookParser PARSER = new WebhookParser();

    @Autowired
    TemplateUpdates updates;
    @Autowired
    TemplateStore store;

    static <T> T value(WebhookPayload payload, Class<T> type) {
        return type.cast(payload.changeEvents().get(0).value());
    }

    static WebhookPayload file(String name) {
        try {
            return PARSER.parse(Files.readAllBytes(PAYLOADS.resolve(name)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static WebhookPayload change(String field, String value) {
        return PARSER.parse("""
                {"object":"whatsapp_business_account","entry":[{"id":"waba","time":1700000000,
                 "changes":[{"field":"%s","value":%s}]}]}""".formatted(field, value));
    }

    JsonNode templates(TestOrg org, UUID integration) {
        Answer a = get("/api/v1/channels/whatsapp/integrations/" + integration + "/templates", org.ownerToken());
        assertThat(a.status()).isEqualTo(200);
        return a.json().get("data");
    }

    @Test
    void statusWebhooksCreateUnknownTemplatesAndKeepTheRejectionReason() {
        TestOrg org = newOrg();
        UUID integration = integration(org).integrationId();
        updates.statusUpdated(org.org().id(), integration,
                value(file("template-status-approved.json"), TemplateStatusUpdate.class));
        updates.statusUpdated(org.org().id(), integration,
                value(file("template-status-rejected.json"), TemplateStatusUpdate.class));
        JsonNode list = templates(org, integration);
        assertThat(list).hasSize(2);
        JsonNode approved = list.get(0);
        assertThat(approved.get("name").asString()).isEqualTo("order_confirmation");
        assertThat(approved.get("language").asString()).isEqualTo("en_US");
        assertThat(approved.get("status").asString()).isEqualTo("APPROVED");
        assertThat(approved.get("category").asString()).isEqualTo("UTILITY");
        assertThat(approved.get("meta_id").asString()).isEqualTo("1689556908129832");
        assertThat(approved.get("rejection_reason").isNull()).isTrue();
        JsonNode rejected = list.get(1);
        assertThat(rejected.get("name").asString()).isEqualTo("schedule_confirmation4");
        assertThat(rejected.get("status").asString()).isEqualTo("REJECTED");
        assertThat(rejected.get("rejection_reason").asString()).isEqualTo("SCAM");

        // a later event found by Meta's id alone updates the same row; a redelivery changes nothing
        TemplateStatusUpdate paused = value(change("message_template_status_update", """
                {"event":"PAUSED","message_template_id":1689556908129832,"reason":null,
                 "other_info":{"title":"FIRST_PAUSE","description":"paused for low quality"}}"""),
                TemplateStatusUpdate.class);
        updates.statusUpdated(org.org().id(), integration, paused);
        updates.statusUpdated(org.org().id(), integration, paused);
        list = templates(org, integration);
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("status").asString()).isEqualTo("PAUSED");
        assertThat(list.get(0).get("rejection_details").asString()).contains("paused for low quality");
        assertThat(list.get(0).get("last_event").asString()).isEqualTo("PAUSED");
    }

    @Test
    void categoryWebhooksUpdateTheCategoryAndRememberThePreviousOne() {
        TestOrg org = newOrg();
        UUID integration = integration(org).integrationId();
        updates.statusUpdated(org.org().id(), integration, value(change("message_template_status_update", """
                {"event":"APPROVED","message_template_id":12345678,"message_template_name":"my_message_template",
                 "message_template_language":"he","reason":"NONE","message_template_category":"UTILITY"}"""),
                TemplateStatusUpdate.class));
        updates.categoryUpdated(org.org().id(), integration,
                value(file("template-category-update.json"), TemplateCategoryUpdate.class));
        JsonNode t = templates(org, integration).get(0);
        assertThat(t.get("category").asString()).isEqualTo("MARKETING");
        assertThat(t.get("previous_category").asString()).isEqualTo("UTILITY");
        assertThat(t.get("status").asString()).isEqualTo("APPROVED");

        // unknown template: created from the category update
        UUID other = integration(org).integrationId();
        updates.categoryUpdated(org.org().id(), other,
                value(file("template-category-update.json"), TemplateCategoryUpdate.class));
        assertThat(templates(org, other).get(0).get("name").asString()).isEqualTo("my_message_template");
    }

    @Test
    void aSyncKeepsComponentsAndPlaceholdersAndDropsTemplatesMetaNoLongerLists() {
        TestOrg org = newOrg();
        UUID integration = integration(org).integrationId();
        updates.statusUpdated(org.org().id(), integration, value(change("message_template_status_update", """
                {"event":"REJECTED","message_template_id":1,"message_template_name":"gone",
                 "message_template_language":"en","reason":"SCAM"}"""), TemplateStatusUpdate.class));
        JsonNode components = JSON.readTree("""
                [{"type":"HEADER","format":"TEXT","text":"Order {{1}}","example":{"header_text":["A-1"]}},
                 {"type":"BODY","text":"Hi {{1}}, your order {{2}} ships today",
                  "example":{"body_text":[["Ana","A-1"]]}},
                 {"type":"FOOTER","text":"Thanks"},
                 {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Stop"},
                  {"type":"URL","text":"Track","url":"https://t.example/{{1}}","example":["https://t.example/A-1"]}]}]""");
        int n = store.replaceAll(org.org().id(), integration, List.of(
                new TemplateStore.Synced("77", "order_update", "en_US", "UTILITY", "APPROVED", "POSITIONAL",
                        components),
                new TemplateStore.Synced("78", "promo", "es", "MARKETING", "PENDING", "NAMED",
                        JSON.readTree("[{\"type\":\"HEADER\",\"format\":\"IMAGE\"},{\"type\":\"BODY\","
                                + "\"text\":\"Hola {{first_name}}\",\"example\":{\"body_text_named_params\":"
                                + "[{\"param_name\":\"first_name\",\"example\":\"Ana\"}]}}]"))));
        assertThat(n).isEqualTo(2);
        JsonNode list = templates(org, integration);
        assertThat(list).hasSize(2);
        JsonNode order = list.get(0);
        assertThat(order.get("name").asString()).isEqualTo("order_update");
        assertThat(order.at("/components/1/text").asString()).contains("{{2}}");
        assertThat(order.get("synced_at").isString()).isTrue();
        JsonNode p = order.get("placeholders");
        assertThat(p).hasSize(4);
        assertThat(p.at("/0/component").asString()).isEqualTo("header");
        assertThat(p.at("/0/example").asString()).isEqualTo("A-1");
        assertThat(p.at("/2/component").asString()).isEqualTo("body");
        assertThat(p.at("/2/name").asString()).isEqualTo("2");
        assertThat(p.at("/2/example").asString()).isEqualTo("A-1");
        assertThat(p.at("/3/component").asString()).isEqualTo("button");
        assertThat(p.at("/3/index").asInt()).isEqualTo(1);
        JsonNode promo = list.get(1);
        assertThat(promo.at("/placeholders/0/type").asString()).isEqualTo("image");
        assertThat(promo.at("/placeholders/1/name").asString()).isEqualTo("first_name");
        assertThat(promo.at("/placeholders/1/example").asString()).isEqualTo("Ana");
    }

    @Test
    void syncFetchesEveryPageFromMetaWithComponentsAndPlaceholders() {
        TestOrg org = newOrg();
        Connected b = integration(org);
        // 30 templates besides the seeded hello_world: two pages of Meta's default 25
        for (int i = 0; i < 30; i++) {
            emulator.addTemplate(b.biz().wabaId(), "promo_" + (char) ('a' + i / 10) + (i % 10), "en_US", "MARKETING",
                    "[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, code {{2}}\",\"example\":{\"body_text\":[[\"Ana\",\"X1\"]]}}]",
                    i == 0 ? "PENDING" : "APPROVED");
        }
        String path = "/api/v1/channels/whatsapp/integrations/" + b.integrationId() + "/templates";
        assertThat(post(path + "/sync", tokenFor(org, Role.AGENT), null).status()).isEqualTo(403);
        Answer synced = post(path + "/sync", org.ownerToken(), null);
        assertThat(synced.status()).as(synced.body()).isEqualTo(200);
        assertThat(synced.json().get("synced").asInt()).isEqualTo(31);
        JsonNode list = templates(org, b.integrationId());
        assertThat(list).hasSize(31);
        JsonNode hello = null;
        JsonNode first = null;
        for (JsonNode t : list) {
            if (t.get("name").asString().equals("hello_world")) {
                hello = t;
            }
            if (t.get("name").asString().equals("promo_a0")) {
                first = t;
            }
        }
        assertThat(hello).isNotNull();
        assertThat(hello.get("language").asString()).isEqualTo("en_US");
        assertThat(hello.get("status").asString()).isEqualTo("APPROVED");
        assertThat(hello.get("category").asString()).isEqualTo("UTILITY");
        assertThat(hello.get("meta_id").asString()).isEqualTo(b.biz().helloWorldTemplateId());
        assertThat(hello.at("/components/0/text").asString()).isNotEmpty();
        assertThat(first.get("status").asString()).isEqualTo("PENDING");
        assertThat(first.get("category").asString()).isEqualTo("MARKETING");
        assertThat(first.get("placeholders")).hasSize(2);
        assertThat(first.at("/placeholders/1/name").asString()).isEqualTo("2");
        assertThat(first.at("/placeholders/1/example").asString()).isEqualTo("X1");

        // a status webhook then changes the synced template in place
        updates.statusUpdated(org.org().id(), b.integrationId(), value(change("message_template_status_update", """
                {"event":"REJECTED","message_template_id":%s,"message_template_name":"promo_a0",
                 "message_template_language":"en_US","reason":"PROMOTIONAL"}""".formatted(first.get("meta_id")
                .asString())), TemplateStatusUpdate.class));
        JsonNode after = null;
        for (JsonNode t : templates(org, b.integrationId())) {
            if (t.get("name").asString().equals("promo_a0")) {
                after = t;
            }
        }
        assertThat(after.get("status").asString()).isEqualTo("REJECTED");
        assertThat(after.get("rejection_reason").asString()).isEqualTo("PROMOTIONAL");
        assertThat(after.at("/components/0/text").asString()).contains("{{2}}");
        assertThat(get("/api/v1/audit-events?action=templates.synced", org.ownerToken()).json().get("data"))
                .hasSize(1);
    }

    @Test
    void whenMetaRefusesTheSyncSaysSoKeepsTheTemplatesAndAnExpiredTokenFlagsTheIntegration() {
        TestOrg org = newOrg();
        Connected b = integration(org);
        String path = "/api/v1/channels/whatsapp/integrations/" + b.integrationId();
        assertThat(post(path + "/templates/sync", org.ownerToken(), null).status()).isEqualTo(200);
        String expired = "EAAG-expired-" + metaId();
        emulator.addAccessToken(expired, b.biz().appId(), java.util.Set.of("whatsapp_business_messaging",
                "whatsapp_business_management"), java.time.Instant.now().minusSeconds(3600));
        assertThat(call("PUT", path, org.ownerToken(), json(Map.of("access_token", expired))).status())
                .isEqualTo(200);
        Answer refused = post(path + "/templates/sync", org.ownerToken(), null);
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("graph_error");
        assertThat(refused.json().at("/error/message").asString()).contains("190");
        assertThat(refused.body()).doesNotContain(expired);
        assertThat(templates(org, b.integrationId())).hasSize(1); // hello_world from the earlier sync
        assertThat(get(path, org.ownerToken()).json().get("needs_new_credentials").asBoolean()).isTrue();
    }

    @Test
    void anotherOrganizationsIntegrationAnswers404() {
        TestOrg org = newOrg();
        Connected b = integration(org);
        updates.statusUpdated(org.org().id(), b.integrationId(),
                value(file("template-status-approved.json"), TemplateStatusUpdate.class));
        String path = "/api/v1/channels/whatsapp/integrations/" + b.integrationId() + "/templates";
        TestOrg other = newOrg();
        Answer list = get(path, other.ownerToken());
        assertThat(list.status()).isEqualTo(404);
        assertThat(list.body()).doesNotContain("order_confirmation");
        assertThat(post(path + "/sync", other.ownerToken(), null).status()).isEqualTo(404);
        assertThat(get("/api/v1/channels/whatsapp/integrations/" + UUID.randomUUID() + "/templates",
                org.ownerToken()).status()).isEqualTo(404);
        assertThat(get(path, tokenFor(org, Role.AGENT)).status()).isEqualTo(200);
    }
}
