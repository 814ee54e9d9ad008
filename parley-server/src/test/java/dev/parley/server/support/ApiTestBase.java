package dev.parley.server.support;

import dev.parley.server.identity.ApiTokens;
import dev.parley.server.identity.Organization;
import dev.parley.server.identity.Organizations;
import dev.parley.server.identity.Role;
import dev.parley.server.identity.User;
import dev.parley.server.identity.Users;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * Base of the API contract tests: the whole app on a random port (one Spring context per database, shared by
 * every contract class), HTTP helpers, and fresh organizations so that tests do not see each other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class ApiTestBase {

    /** The bootstrap owner's token from application-test.properties. */
    public static final String BOOTSTRAP_TOKEN = "prl_test_bootstrap_owner_token_0123456789";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected Organizations organizations;
    @Autowired
    protected Users users;
    @Autowired
    protected ApiTokens apiTokens;

    /** An answer: status, raw body, parsed JSON (null when the body is not JSON). */
    public record Answer(int status, String body, JsonNode json, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** A new organization with an owner and that owner's API token. */
    public record TestOrg(Organization org, User owner, String ownerToken) {
    }

    protected TestOrg newOrg() {
        Organization org = organizations.create("Org " + UUID.randomUUID());
        User owner = users.create(org.id(), "test", unique("owner"), "Owner", Role.OWNER, null);
        return new TestOrg(org, owner, apiTokens.issue(org.id(), "test", owner.id(), "test").secret());
    }

    /** A user with the role in the organization, answering that user's new API token. */
    protected String tokenFor(TestOrg org, Role role) {
        User user = users.create(org.org().id(), "test", unique(role.wireName()), role.wireName(), role, null);
        return apiTokens.issue(org.org().id(), "test", user.id(), "test").secret();
    }

    protected static String unique(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    protected Answer call(String method, String path, String token, String body) {
        return send(method, path, token == null ? null : "Bearer " + token, body);
    }

    /** A call with the Authorization header exactly as given (null: none). */
    protected Answer send(String method, String path, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (r.headers().firstValue("Content-Type").orElse("").contains("json") && !r.body().isEmpty()) {
                json = JSON.readTree(r.body());
            }
            return new Answer(r.statusCode(), r.body(), json, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected Answer get(String path, String token) {
        return call("GET", path, token, null);
    }

    protected Answer post(String path, String token, String body) {
        return call("POST", path, token, body);
    }

    protected static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
