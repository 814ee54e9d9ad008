package dev.parley.server.template;

import dev.parley.cloudapi.webhook.TemplateCategoryUpdate;
import dev.parley.cloudapi.webhook.TemplateStatusUpdate;
import dev.parley.cloudapi.webhook.WebhookParser;
import dev.parley.cloudapi.webhook.WebhookPayload;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Template status and category webhooks as the webhook feature hands them over, checked through the API. */
abstract class TemplatesContract extends ApiTestBase {

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
        UUID integration = UUID.randomUUID();
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
        UUID integration = UUID.randomUUID();
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
        UUID other = UUID.randomUUID();
        updates.categoryUpdated(org.org().id(), other,
                value(file("template-category-update.json"), TemplateCategoryUpdate.class));
        assertThat(templates(org, other).get(0).get("name").asString()).isEqualTo("my_message_template");
    }

    @Test
    void aSyncKeepsComponentsAndPlaceholdersAndDropsTemplatesMetaNoLongerLists() {
        TestOrg org = newOrg();
        UUID integration = UUID.randomUUID();
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
    void anotherOrganizationSeesNoneOfTheTemplates() {
        TestOrg org = newOrg();
        UUID integration = UUID.randomUUID();
        updates.statusUpdated(org.org().id(), integration,
                value(file("template-status-approved.json"), TemplateStatusUpdate.class));
        Answer other = get("/api/v1/channels/whatsapp/integrations/" + integration + "/templates",
                newOrg().ownerToken());
        assertThat(other.body()).doesNotContain("order_confirmation");
    }
}
