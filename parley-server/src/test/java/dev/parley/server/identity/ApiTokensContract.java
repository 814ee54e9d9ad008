package dev.parley.server.identity;

import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bearer-token authentication and the /api/v1/api-tokens endpoints. */
abstract class ApiTokensContract extends ApiTestBase {

    @Test
    void withoutATokenTheApiAnswers401InTheContractShape() {
        Answer a = get("/api/v1/api-tokens", null);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.json().at("/error/code").asString()).isEqualTo("unauthorized");
        assertThat(a.json().at("/error/message").asString()).contains("Bearer");
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void aBadTokenOrAnotherSchemeAnswers401() {
        Answer bad = get("/api/v1/api-tokens", "prl_not_a_real_token_at_all_000000000000");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().at("/error/code").asString()).isEqualTo("unauthorized");
        assertThat(bad.json().at("/error/message").asString()).contains("invalid or has been revoked");

        Answer basic = send("GET", "/api/v1/api-tokens", "Basic b3duZXJAZGVmYXVsdC50ZXN0OnRlc3Qtb3duZXItcGFzc3dvcmQ=", null);
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().at("/error/message").asString()).contains("Bearer <api token>");
        // Even unknown routes do not reveal themselves before authentication.
        assertThat(get("/api/v1/no-such-thing", null).status()).isEqualTo(401);
    }

    @Test
    void aTokenIsShownOnceListedWithoutItsSecretAndWorksUntilRevoked() {
        TestOrg org = newOrg();
        Answer created = post("/api/v1/api-tokens", org.ownerToken(), json(Map.of("name", "ci")));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().get("token").asString();
        String id = created.json().get("id").asString();
        assertThat(secret).startsWith("prl_").hasSizeGreaterThanOrEqualTo(4 + 43);
        assertThat(created.json().get("prefix").asString()).isEqualTo(secret.substring(0, 12));
        assertThat(created.json().get("user_id").asString()).isEqualTo(org.owner().id().toString());
        assertThat(created.header("Location")).endsWith("/api/v1/api-tokens/" + id);

        Answer list = get("/api/v1/api-tokens", secret);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret);
        JsonNode listed = null;
        for (JsonNode t : list.json().get("data")) {
            assertThat(t.has("token")).isFalse();
            if (t.get("id").asString().equals(id)) {
                listed = t;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("name").asString()).isEqualTo("ci");
        assertThat(listed.get("last_used_at").isNull()).isFalse(); // it was just used for this very list
        assertThat(listed.get("revoked_at").isNull()).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR token_prefix = ?")
                .params(secret, secret).query(Integer.class).single()).isZero();

        Answer revoked = call("DELETE", "/api/v1/api-tokens/" + id, org.ownerToken(), null);
        assertThat(revoked.status()).isEqualTo(204);
        Answer after = get("/api/v1/api-tokens", secret);
        assertThat(after.status()).isEqualTo(401);
        assertThat(get("/api/v1/api-tokens/" + id, org.ownerToken()).json().get("revoked_at").isNull()).isFalse();
    }

    @Test
    void agentsCannotManageTokensAndAdminsCannotMintOwnerTokens() {
        TestOrg org = newOrg();
        String agent = tokenFor(org, Role.AGENT);
        Answer denied = post("/api/v1/api-tokens", agent, json(Map.of("name", "mine")));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().at("/error/code").asString()).isEqualTo("forbidden");
        assertThat(get("/api/v1/api-tokens", agent).status()).isEqualTo(403);

        String admin = tokenFor(org, Role.ADMIN);
        assertThat(post("/api/v1/api-tokens", admin, json(Map.of("name", "admin's"))).status()).isEqualTo(201);
        Answer escalate = post("/api/v1/api-tokens", admin,
                json(Map.of("name", "as owner", "user_id", org.owner().id().toString())));
        assertThat(escalate.status()).isEqualTo(403);
    }

    @Test
    void tokenRequestsAreValidated() {
        TestOrg org = newOrg();
        Answer a = post("/api/v1/api-tokens", org.ownerToken(), "{\"name\": \"\"}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/error/code").asString()).isEqualTo("validation_failed");
        assertThat(a.json().at("/error/message").asString()).contains("name");
    }
}
