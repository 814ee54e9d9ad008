package dev.parley.server.web;

import dev.parley.server.identity.Role;
import dev.parley.server.messaging.OutboundMessages;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI's security over plain HTTP: browsers are sent to sign in, API clients get JSON 401s; signing in needs
 * the CSRF token and every form post does too; a session does not open the API; another organization's pages answer
 * 404 and a role's limits hold; pages carry a strict Content-Security-Policy.
 */
public abstract class UiSecurityContract extends ApiTestBase {

    static final String PASSWORD = "a-long-enough-password";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    OutboundMessages outbound;

    /** A browser-like client: its own cookies, no redirects followed. */
    final class Session {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").GET().build());
        }

        HttpResponse<String> post(String path, Map<String, String> form) {
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
            return send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        }

        String csrf(String page) {
            Matcher m = CSRF.matcher(get(page).body());
            assertThat(m.find()).as("a CSRF field on " + page).isTrue();
            return m.group(1);
        }

        HttpResponse<String> signIn(String email, String password) {
            return post("/login", Map.of("email", email, "password", password, "_csrf", csrf("/login")));
        }

        HttpResponse<String> send(HttpRequest request) {
            return exchange(http, request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String userWithPassword(TestOrg org, Role role) {
        String email = unique(role.wireName());
        users.create(org.org().id(), "test", email, role.wireName(), role, PASSWORD);
        return email;
    }

    private String integration(TestOrg org) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", "Other line");
        b.put("app_secret", "secret-x1y2z3");
        b.put("waba_id", metaId());
        b.put("phone_number_id", metaId());
        b.put("access_token", "EAAG-token-k9z8");
        return createIntegration(org, b).get("id").asString();
    }

    @Test
    void browsersAreSentToSignInAndApiClientsGetJson() {
        Session s = new Session();
        HttpResponse<String> page = s.get("/app/inbox");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/login");
        Answer api = get("/app/inbox", null); // no Accept: text/html
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.json().at("/error/code").asString()).isEqualTo("unauthorized");
        HttpResponse<String> login = s.get("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'").doesNotContain("unsafe-eval").contains("object-src 'none'");
        assertThat(s.get("/webjars/htmx.org/dist/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(s.get("/webjars/htmx-ext-sse/sse.js").statusCode()).isEqualTo(200);
    }

    @Test
    void signingInNeedsThePasswordAndTheCsrfToken() {
        TestOrg org = newOrg();
        String email = userWithPassword(org, Role.OWNER);
        Session s = new Session();
        // without the CSRF token: refused before the password is even looked at
        HttpResponse<String> noCsrf = s.post("/login", Map.of("email", email, "password", PASSWORD));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        HttpResponse<String> wrong = s.signIn(email, "not the password at all");
        assertThat(wrong.headers().firstValue("Location").orElse("")).contains("/login?error");
        HttpResponse<String> ok = s.signIn(email, PASSWORD);
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(ok.headers().firstValue("Location").orElse("")).endsWith("/app/inbox");
        HttpResponse<String> inbox = s.get("/app/inbox");
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(inbox.body()).contains(email);
        // a session cookie does not open the API (bearer tokens only, no cookies, no CSRF there)
        assertThat(s.send(HttpRequest.newBuilder(uri("/api/v1/conversations")).GET().build()).statusCode())
                .isEqualTo(401);
        // sign out needs CSRF too, then the session is gone
        assertThat(s.post("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(s.post("/logout", Map.of("_csrf", s.csrf("/app/inbox"))).statusCode()).isEqualTo(302);
        assertThat(s.get("/app/inbox").statusCode()).isEqualTo(302);
    }

    @Test
    void anotherOrganizationsPagesAnswer404() {
        TestOrg mine = newOrg();
        TestOrg theirs = newOrg();
        String theirIntegration = integration(theirs);
        UUID theirMessage = outbound.record(theirs.org().id(), UUID.fromString(theirIntegration), "15550009999",
                "text", JSON.readTree("{\"body\":\"secret plans\"}"), null);
        String theirConversation = get("/api/v1/messages/" + theirMessage, theirs.ownerToken()).json()
                .get("conversation_id").asString();

        Session s = new Session();
        s.signIn(userWithPassword(mine, Role.OWNER), PASSWORD);
        for (String path : new String[]{"/app/channels/" + theirIntegration, "/app/channels/" + theirIntegration + "/edit",
                "/app/channels/" + theirIntegration + "/templates", "/app/inbox/" + theirConversation,
                "/app/inbox/" + theirConversation + "/thread", "/app/inbox/" + theirConversation + "/composer",
                "/app/channels/not-a-uuid", "/app/inbox/" + UUID.randomUUID(), "/app/media/" + theirMessage}) {
            HttpResponse<String> r = s.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("secret plans").doesNotContain("Other line");
        }
        String csrf = s.csrf("/app/inbox");
        assertThat(s.post("/app/channels/" + theirIntegration + "/enabled", Map.of("value", "false", "_csrf", csrf))
                .statusCode()).isEqualTo(404);
        assertThat(s.post("/app/inbox/" + theirConversation + "/reply", Map.of("text", "hi", "_csrf", csrf))
                .statusCode()).isEqualTo(404);
        assertThat(s.post("/app/inbox/" + theirConversation + "/read", Map.of("_csrf", csrf)).statusCode())
                .isEqualTo(404);
        // a new conversation cannot use their channel (nor show its templates); nothing is queued on it
        HttpResponse<String> started = s.post("/app/inbox/new", Map.of("channel", theirIntegration,
                "to", "+15550001234", "template", "hello_world|en_US", "_csrf", csrf));
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).contains("Pick a channel.").doesNotContain("Other line");
        assertThat(s.post("/app/inbox/new/form", Map.of("channel", theirIntegration, "_csrf", csrf)).body())
                .doesNotContain("Other line").doesNotContain(theirIntegration);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM messages WHERE integration_id = ?")
                .params(UUID.fromString(theirIntegration)).query(Integer.class).single()).isEqualTo(1);
        // my own lists do not show theirs
        assertThat(s.get("/app/inbox").body()).doesNotContain(theirConversation);
        assertThat(s.get("/app/channels").body()).doesNotContain(theirIntegration);
        // and their channel is untouched
        assertThat(get("/api/v1/channels/whatsapp/integrations/" + theirIntegration, theirs.ownerToken()).json()
                .get("enabled").asBoolean()).isTrue();
    }

    @Test
    void formsNeedTheCsrfTokenAndRolesKeepTheirLimits() {
        TestOrg org = newOrg();
        String integration = integration(org);
        Session owner = new Session();
        owner.signIn(userWithPassword(org, Role.OWNER), PASSWORD);
        // a forged form post (no token) changes nothing
        assertThat(owner.post("/app/channels/" + integration + "/enabled", Map.of("value", "false")).statusCode())
                .isEqualTo(403);
        assertThat(get("/api/v1/channels/whatsapp/integrations/" + integration, org.ownerToken()).json()
                .get("enabled").asBoolean()).isTrue();
        // with it, it does
        HttpResponse<String> done = owner.post("/app/channels/" + integration + "/enabled",
                Map.of("value", "false", "_csrf", owner.csrf("/app/channels/" + integration)));
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(get("/api/v1/channels/whatsapp/integrations/" + integration, org.ownerToken()).json()
                .get("enabled").asBoolean()).isFalse();

        // an agent sees channels (secrets masked, no verify token) but may not change them
        Session agent = new Session();
        agent.signIn(userWithPassword(org, Role.AGENT), PASSWORD);
        HttpResponse<String> page = agent.get("/app/channels/" + integration);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("secret-x1y2z3").doesNotContain("EAAG-token-k9z8")
                .doesNotContain("id=\"verify-token\"");
        assertThat(agent.get("/app/channels/new").statusCode()).isEqualTo(403);
        assertThat(agent.post("/app/channels/" + integration + "/enabled",
                Map.of("value", "true", "_csrf", agent.csrf("/app/inbox"))).statusCode()).isEqualTo(403);
        assertThat(agent.get("/app/audit").statusCode()).isEqualTo(403);
    }
}
