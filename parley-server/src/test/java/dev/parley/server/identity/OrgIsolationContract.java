package dev.parley.server.identity;

import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two organizations: each sees only its own tokens, users and audit events; the other's ids answer 404. */
abstract class OrgIsolationContract extends ApiTestBase {

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("data").forEach(n -> out.add(n.get("id").asString()));
        return out;
    }

    @Test
    void anotherOrganizationsIdsAnswer404AndListsShowOnlyOwnData() {
        TestOrg mine = newOrg();
        TestOrg theirs = newOrg();
        String theirTokenId = post("/api/v1/api-tokens", theirs.ownerToken(), json(Map.of("name", "theirs")))
                .json().get("id").asString();
        String theirUserId = post("/api/v1/users", theirs.ownerToken(),
                json(Map.of("email", unique("agent"), "role", "agent"))).json().get("id").asString();
        String theirAuditId = get("/api/v1/audit-events?limit=1", theirs.ownerToken()).json()
                .at("/data/0/id").asString();
        String myTokenId = post("/api/v1/api-tokens", mine.ownerToken(), json(Map.of("name", "mine")))
                .json().get("id").asString();

        for (String[] call : new String[][] {
                {"GET", "/api/v1/api-tokens/" + theirTokenId, null},
                {"DELETE", "/api/v1/api-tokens/" + theirTokenId, null},
                {"GET", "/api/v1/users/" + theirUserId, null},
                {"PUT", "/api/v1/users/" + theirUserId, "{\"role\":\"owner\"}"},
                {"DELETE", "/api/v1/users/" + theirUserId, null},
                {"GET", "/api/v1/audit-events/" + theirAuditId, null},
                {"POST", "/api/v1/api-tokens", "{\"name\":\"x\",\"user_id\":\"" + theirUserId + "\"}"}}) {
            Answer a = call(call[0], call[1], mine.ownerToken(), call[2]);
            assertThat(a.status()).as(call[0] + " " + call[1]).isEqualTo(404);
            assertThat(a.json().at("/error/code").asString()).isEqualTo("not_found");
        }
        // nothing of theirs changed
        assertThat(get("/api/v1/api-tokens/" + theirTokenId, theirs.ownerToken()).json().get("revoked_at").isNull())
                .isTrue();
        assertThat(get("/api/v1/users/" + theirUserId, theirs.ownerToken()).json().get("role").asString())
                .isEqualTo("agent");

        assertThat(ids(get("/api/v1/api-tokens", mine.ownerToken()).json()))
                .contains(myTokenId).doesNotContain(theirTokenId);
        assertThat(ids(get("/api/v1/users", mine.ownerToken()).json()))
                .containsExactly(mine.owner().id().toString());
        assertThat(ids(get("/api/v1/audit-events?limit=200", mine.ownerToken()).json())).doesNotContain(theirAuditId);
        get("/api/v1/audit-events?limit=200", mine.ownerToken()).json().get("data")
                .forEach(e -> assertThat(e.toString()).doesNotContain(theirTokenId).doesNotContain(theirUserId));
    }

    @Test
    void ownersManageUsersButNotTheLastOwner() {
        TestOrg org = newOrg();
        String email = unique("Agent.Smith");
        Answer created = post("/api/v1/users", org.ownerToken(), json(Map.of("email", email,
                "display_name", "Agent Smith", "role", "agent", "password", "a long enough password")));
        assertThat(created.status()).isEqualTo(201);
        JsonNode user = created.json();
        assertThat(user.get("email").asString()).isEqualTo(email.toLowerCase());
        assertThat(user.get("display_name").asString()).isEqualTo("Agent Smith");
        assertThat(user.get("role").asString()).isEqualTo("agent");
        assertThat(user.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(created.body()).doesNotContain("password").doesNotContain("a long enough");
        String id = user.get("id").asString();

        Answer dup = post("/api/v1/users", org.ownerToken(), json(Map.of("email", email.toUpperCase(), "role", "agent")));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().at("/error/code").asString()).isEqualTo("email_taken");

        Answer promoted = call("PUT", "/api/v1/users/" + id, org.ownerToken(), "{\"role\":\"admin\"}");
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("role").asString()).isEqualTo("admin");

        String ownerId = org.owner().id().toString();
        Answer demoteLast = call("PUT", "/api/v1/users/" + ownerId, org.ownerToken(), "{\"role\":\"agent\"}");
        assertThat(demoteLast.status()).isEqualTo(409);
        assertThat(demoteLast.json().at("/error/code").asString()).isEqualTo("last_owner");
        assertThat(call("DELETE", "/api/v1/users/" + ownerId, org.ownerToken(), null).status()).isEqualTo(409);

        String adminToken = tokenFor(org, Role.ADMIN);
        assertThat(get("/api/v1/users", adminToken).status()).isEqualTo(403);
        assertThat(post("/api/v1/users", adminToken, json(Map.of("email", unique("x"), "role", "owner"))).status())
                .isEqualTo(403);

        assertThat(call("PUT", "/api/v1/users/" + id, org.ownerToken(), "{\"role\":\"owner\"}").status()).isEqualTo(200);
        assertThat(call("DELETE", "/api/v1/users/" + ownerId, org.ownerToken(), null).status()).isEqualTo(204);
        // the deleted owner's tokens died with them
        assertThat(get("/api/v1/users", org.ownerToken()).status()).isEqualTo(401);
    }

    @Test
    void aUserWithoutRoleOrWithAnUnknownRoleIsRefusedClearly() {
        TestOrg org = newOrg();
        Answer a = post("/api/v1/users", org.ownerToken(), json(Map.of("email", "not-an-email", "role", "boss")));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/error/code").asString()).isEqualTo("validation_failed");
        assertThat(a.json().at("/error/message").asString()).contains("email:").contains("role: must be one of");
        Answer shortPw = post("/api/v1/users", org.ownerToken(),
                json(Map.of("email", unique("pw"), "role", "agent", "password", "short")));
        assertThat(shortPw.status()).isEqualTo(400);
        assertThat(shortPw.json().at("/error/message").asString()).contains("password");
    }
}
