package dev.parley.server.support;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.Seed;
import dev.parley.emulator.SeededBusiness;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Base of the API contract tests: the whole app on a random port (one Spring context per database, shared by
 * every contract class), HTTP helpers, fresh organizations so that tests do not see each other's data, and
 * WhatsApp integrations of businesses of their own in the Cloud API emulator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class ApiTestBase {

    /** The bootstrap owner's token from application-test.properties. */
    public static final String BOOTSTRAP_TOKEN = "prl_test_bootstrap_owner_token_0123456789";

    /** The WhatsApp integrations endpoint. */
    protected static final String INTEGRATIONS = "/api/v1/channels/whatsapp/integrations";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicLong META_IDS = new AtomicLong();
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
        return answer(exchange(HTTP, b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** The response as an {@link Answer}, its body parsed when it is JSON. */
    protected static Answer answer(HttpResponse<String> r) {
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").contains("json") && !r.body().isEmpty()) {
            json = JSON.readTree(r.body());
        }
        return new Answer(r.statusCode(), r.body(), json, r);
    }

    /** Sends the request on the client; I/O errors and interruption are thrown unchecked. */
    protected static <T> HttpResponse<T> exchange(HttpClient client, HttpRequest request,
                                                  HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request, body);
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

    // ---------------------------------------------------------------- WhatsApp integrations against the emulator

    /**
     * A numeric id like Meta's (16 digits) that no other call uses: phone number ids are unique across the live
     * integrations of the shared test database, and businesses across an emulator. A counter keeps the calls of a
     * run apart, a random part the runs.
     */
    protected static String metaId() {
        return "8" + ThreadLocalRandom.current().nextLong(100_000_000L, 1_000_000_000L)
                + String.format("%06d", META_IDS.incrementAndGet() % 1_000_000);
    }

    /** A business of its own in the emulator (every id unique), with a display number of its own. */
    protected static SeededBusiness seedBusiness(CloudApiEmulator emulator, String verifiedName) {
        return seedBusiness(emulator, "1555" + metaId().substring(1, 8), verifiedName);
    }

    protected static SeededBusiness seedBusiness(CloudApiEmulator emulator, String displayPhoneNumber,
                                                 String verifiedName) {
        return emulator.seed(Seed.builder().appId(metaId()).appSecret("secret-" + metaId())
                .accessToken("EAAG-" + metaId()).wabaId(metaId()).phoneNumberId(metaId())
                .displayPhoneNumber(displayPhoneNumber).verifiedName(verifiedName).build());
    }

    /** What a user enters to connect the business (the emulator as its Graph API), with a verify token of its own. */
    protected static Map<String, Object> integrationBody(CloudApiEmulator emulator, SeededBusiness biz, String name) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", name);
        b.put("app_id", biz.appId());
        b.put("app_secret", biz.appSecret());
        b.put("waba_id", biz.wabaId());
        b.put("phone_number_id", biz.phoneNumberId());
        b.put("access_token", biz.accessToken());
        b.put("verify_token", "vt-" + metaId());
        b.put("graph_base_url", emulator.baseUrl());
        return b;
    }

    /** Creates the integration as the organization's owner (answered 201) and answers it. */
    protected JsonNode createIntegration(TestOrg org, Map<String, Object> body) {
        Answer a = post(INTEGRATIONS, org.ownerToken(), json(body));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return a.json();
    }

    /** An integration made through the API, with the token of its own webhook URL and its verify token. */
    public record Connected(TestOrg org, SeededBusiness biz, UUID integrationId, String webhookToken,
                            String verifyToken) {
    }

    /** A business of its own in the emulator, connected to the organization; see the other {@code connect}. */
    protected Connected connect(CloudApiEmulator emulator, TestOrg org, String name, boolean subscribe) {
        return connect(emulator, org, seedBusiness(emulator, name), name, subscribe);
    }

    /**
     * The business connected to the organization as a user connects it; with {@code subscribe}, the emulator's app
     * is also subscribed to the integration's own webhook URL (Meta's handshake done) as the user would in Meta's
     * dashboard.
     */
    protected Connected connect(CloudApiEmulator emulator, TestOrg org, SeededBusiness biz, String name,
                                boolean subscribe) {
        Map<String, Object> body = integrationBody(emulator, biz, name);
        JsonNode i = createIntegration(org, body);
        String token = webhookToken(i);
        String verifyToken = (String) body.get("verify_token");
        if (subscribe) {
            emulator.subscribe(biz.wabaId(), ownWebhookUrl(token), verifyToken);
            await().atMost(Duration.ofSeconds(20)).until(() -> emulator.webhookVerified(biz.appId()));
        }
        return new Connected(org, biz, UUID.fromString(i.get("id").asString()), token, verifyToken);
    }

    /** The integration's own webhook URL on this server. */
    protected String ownWebhookUrl(String webhookToken) {
        return "http://127.0.0.1:" + port + "/webhooks/whatsapp/" + webhookToken;
    }

    /** The token at the end of an integration's {@code webhook_url}. */
    protected static String webhookToken(JsonNode integration) {
        String url = integration.get("webhook_url").asString();
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
