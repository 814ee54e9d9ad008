package dev.parley.server.audit;

import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit trail: what is recorded, newest first, paging with before, filtering by action, and who may read it. */
abstract class AuditContract extends ApiTestBase {

    @Autowired
    AuditLog audit;
    @Autowired
    UserDetailsService userDetails;
    @Autowired
    PasswordEncoder passwordEncoder;
    @Autowired
    AuthenticationEventPublisher authEvents;

    @Test
    void eventsAreListedNewestFirstInPagesAndFilteredByAction() {
        TestOrg org = newOrg();
        for (int i = 0; i < 7; i++) {
            audit.record(org.org().id(), "someone@example.test", "test.happened", "thing-" + i, Map.of("n", i));
        }
        List<String> subjects = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            Answer page = get("/api/v1/audit-events?action=test.happened&limit=3" + (before == null ? "" : "&before=" + before),
                    org.ownerToken());
            assertThat(page.status()).isEqualTo(200);
            page.json().get("data").forEach(e -> subjects.add(e.get("subject").asString()));
            JsonNode next = page.json().get("next_before");
            before = next.isNull() ? null : next.asString();
            pages++;
        } while (before != null && pages < 10);
        assertThat(subjects).containsExactly("thing-6", "thing-5", "thing-4", "thing-3", "thing-2", "thing-1", "thing-0");
        assertThat(pages).isEqualTo(3);

        JsonNode first = get("/api/v1/audit-events?action=test.happened&limit=1", org.ownerToken()).json().at("/data/0");
        assertThat(first.get("actor").asString()).isEqualTo("someone@example.test");
        assertThat(first.get("action").asString()).isEqualTo("test.happened");
        assertThat(first.at("/details/n").asInt()).isEqualTo(6);
        assertThat(first.get("at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(get("/api/v1/audit-events/" + first.get("id").asString(), org.ownerToken()).json()
                .get("subject").asString()).isEqualTo("thing-6");
    }

    @Test
    void tokenCreationAndRevocationAreAuditedWithoutTheSecret() {
        TestOrg org = newOrg();
        Answer created = post("/api/v1/api-tokens", org.ownerToken(), json(Map.of("name", "audited")));
        String secret = created.json().get("token").asString();
        String id = created.json().get("id").asString();
        call("DELETE", "/api/v1/api-tokens/" + id, org.ownerToken(), null);
        Answer list = get("/api/v1/audit-events", org.ownerToken());
        assertThat(list.body()).doesNotContain(secret);
        List<String> actions = new ArrayList<>();
        list.json().get("data").forEach(e -> {
            if (e.toString().contains(id)) {
                actions.add(e.get("action").asString() + " by " + e.get("actor").asString());
            }
        });
        assertThat(actions).containsExactly("api_token.revoked by " + org.owner().email(),
                "api_token.created by " + org.owner().email());
    }

    @Test
    void agentsCannotReadTheAuditTrail() {
        TestOrg org = newOrg();
        assertThat(get("/api/v1/audit-events", tokenFor(org, Role.AGENT)).status()).isEqualTo(403);
        assertThat(get("/api/v1/audit-events", tokenFor(org, Role.ADMIN)).status()).isEqualTo(200);
    }

    @Test
    void passwordSignInsAreAudited() {
        // the web UI's form login will use this provider chain; the bootstrap owner has a password in tests
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(userDetails);
        provider.setPasswordEncoder(passwordEncoder);
        ProviderManager manager = new ProviderManager(provider);
        manager.setAuthenticationEventPublisher(authEvents);
        manager.authenticate(new UsernamePasswordAuthenticationToken("owner@default.test", "test-owner-password"));
        assertThatThrownBy(() -> manager.authenticate(
                new UsernamePasswordAuthenticationToken("owner@default.test", "wrong password")))
                .isInstanceOf(BadCredentialsException.class);
        JsonNode data = get("/api/v1/audit-events?limit=200", BOOTSTRAP_TOKEN).json().get("data");
        List<String> actions = new ArrayList<>();
        data.forEach(e -> {
            if (e.get("action").asString().startsWith("user.login")) {
                actions.add(e.get("action").asString());
            }
        });
        assertThat(actions).startsWith("user.login_failed", "user.login");
    }
}
