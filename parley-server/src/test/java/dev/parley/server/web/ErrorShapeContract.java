package dev.parley.server.web;

import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every 4xx answers {"error":{"code","message"}} with a useful code, and never leaks internals. */
abstract class ErrorShapeContract extends ApiTestBase {

    private void assertShape(Answer a, int status, String code) {
        assertThat(a.status()).isEqualTo(status);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(a.json().size()).isEqualTo(1);
        assertThat(a.json().get("error").get("code").asString()).isEqualTo(code);
        assertThat(a.json().get("error").get("message").asString()).isNotBlank();
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("tools.jackson")
                .doesNotContain(BOOTSTRAP_TOKEN);
    }

    @Test
    void malformedJsonIs400InvalidJson() {
        assertShape(post("/api/v1/api-tokens", BOOTSTRAP_TOKEN, "{\"name\": "), 400, "invalid_json");
        assertShape(post("/api/v1/api-tokens", BOOTSTRAP_TOKEN, ""), 400, "invalid_json");
    }

    @Test
    void aWronglyTypedFieldIs400NamingTheField() {
        Answer a = post("/api/v1/api-tokens", BOOTSTRAP_TOKEN, "{\"name\": \"x\", \"user_id\": [1]}");
        assertShape(a, 400, "invalid_request");
        assertThat(a.json().at("/error/message").asString()).contains("user_id");
    }

    @Test
    void validationErrorsAre400NamingTheRule() {
        Answer a = post("/api/v1/api-tokens", BOOTSTRAP_TOKEN, "{}");
        assertShape(a, 400, "validation_failed");
        assertThat(a.json().at("/error/message").asString()).startsWith("name: ");
        assertShape(get("/api/v1/audit-events?limit=0", BOOTSTRAP_TOKEN), 400, "invalid_parameter");
        assertShape(get("/api/v1/audit-events?limit=lots", BOOTSTRAP_TOKEN), 400, "invalid_parameter");
    }

    @Test
    void unknownRoutesAndIdsAre404() {
        assertShape(get("/api/v1/no-such-thing", BOOTSTRAP_TOKEN), 404, "not_found");
        assertShape(get("/api/v2/api-tokens", BOOTSTRAP_TOKEN), 404, "not_found");
        assertShape(get("/api/v1/api-tokens/5b3c3c2e-0000-4000-8000-000000000000", BOOTSTRAP_TOKEN), 404, "not_found");
        assertShape(get("/api/v1/api-tokens/not-a-uuid", BOOTSTRAP_TOKEN), 404, "not_found");
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        Answer a = call("PUT", "/api/v1/api-tokens", BOOTSTRAP_TOKEN, "{}");
        assertShape(a, 405, "method_not_allowed");
        assertThat(a.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        assertShape(call("POST", "/api/v1/api-tokens", BOOTSTRAP_TOKEN, null), 400, "invalid_json"); // no body
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/api-tokens"))
                        .header("Authorization", "Bearer " + BOOTSTRAP_TOKEN).header("Content-Type", "text/plain")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("name=x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(r.body()).at("/error/code").asString()).isEqualTo("unsupported_media_type");
    }

    @Test
    void webhooksAndHealthArePublicAndNotSubjectToCsrf() {
        // a POST without API token or CSRF token reaches the webhook endpoint (404: unknown URL), not security (401/403)
        Answer a = post("/webhooks/whatsapp/some-token", null, "{}");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.body()).isEqualTo("unknown webhook URL");
        assertThat(get("/actuator/health", null).status()).isEqualTo(200);
        assertShape(get("/", null), 401, "unauthorized");
    }
}
