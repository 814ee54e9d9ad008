package dev.parley.server.webhook;

import dev.parley.cloudapi.signature.WebhookSignature;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.parley.server.webhook.WebhookTestKit.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The ack path without HTTP: handshake, signature on raw bytes, routing, refusals, limits, durability. */
class WebhookIngestTest {

    final DataSource ds = h2();
    final JdbcClient jdbc = JdbcClient.create(ds);
    final FakeDirectory directory = new FakeDirectory();
    final FakeSignals signals = new FakeSignals();
    volatile boolean storeDown;
    final DataSource maybeDown = new DelegatingDataSource(ds) {
        @Override
        public Connection getConnection() throws SQLException {
            if (storeDown) {
                throw new SQLException("connection refused");
            }
            return super.getConnection();
        }
    };
    final WebhookSettings settings = new WebhookSettings(1000, Duration.ofSeconds(10), 100, 50, Duration.ofHours(24),
            Duration.ofDays(7), 5, Duration.ofHours(1), 50, Duration.ofSeconds(60), Duration.ofSeconds(1), 3);
    final DeliveryWriter writer = new DeliveryWriter(maybeDown, settings, null);
    final WebhookIngest ingest = new WebhookIngest(directory, signals, writer, new RefusalLimiter(settings), settings,
            new SimpleMeterRegistry());

    @AfterEach
    void close() {
        writer.close();
    }

    static WebhookIngest.Request signed(String body, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new WebhookIngest.Request(bytes, WebhookSignature.sign(bytes, secret), "10.0.0.1", "application/json",
                "facebookexternalua");
    }

    static WebhookIngest.Request unsigned(String body, String signature, String ip) {
        return new WebhookIngest.Request(body.getBytes(StandardCharsets.UTF_8), signature, ip, "application/json", null);
    }

    @Test
    void handshakeAnswersTheChallengeOnlyForTheRightTokenModeAndAnEnabledIntegration() {
        IntegrationRoute r = directory.add(route("111", "900", "s3cret"));
        IntegrationRoute off = directory.add(route(UUID.randomUUID(), "222", "900", "s3cret", false));
        assertThat(ingest.handshake(r.webhookToken(), "subscribe", r.verifyToken(), "1158201444"))
                .isEqualTo(new WebhookIngest.Verdict(200, "1158201444"));
        assertThat(ingest.globalHandshake("subscribe", r.verifyToken(), "42")).isEqualTo(new WebhookIngest.Verdict(200, "42"));
        assertThat(ingest.handshake(r.webhookToken(), "subscribe", "wrong", "1").status()).isEqualTo(403);
        assertThat(ingest.handshake(r.webhookToken(), "unsubscribe", r.verifyToken(), "1").status()).isEqualTo(403);
        assertThat(ingest.handshake(r.webhookToken(), "subscribe", r.verifyToken(), null).status()).isEqualTo(403);
        assertThat(ingest.handshake("nope", "subscribe", r.verifyToken(), "1").status()).isEqualTo(403);
        assertThat(ingest.handshake(off.webhookToken(), "subscribe", off.verifyToken(), "1").status()).isEqualTo(403);
        assertThat(ingest.globalHandshake("subscribe", off.verifyToken(), "1").status()).isEqualTo(403);
        assertThat(ingest.globalHandshake("subscribe", "unknown", "1").status()).isEqualTo(403);
    }

    @Test
    void aValidlySignedDeliveryIsCommittedBeforeTheAnswerWithItsRawBytes() {
        IntegrationRoute r = directory.add(route("111", "900", "s3cret"));
        // Meta's wire form: escaped slash and unicode; the signature covers exactly these bytes
        String body = payload(entry("900", messagesChange("111", List.of(text("wamid.1", "15551234567",
                "caf\\u00e9 https:\\/\\/x.test")), List.of())));
        WebhookIngest.Verdict v = ingest.receive(r.webhookToken(), signed(body, "s3cret"));
        assertThat(v.status()).isEqualTo(200);
        StoredDelivery d = jdbc.sql("SELECT " + DeliveryStore.META_COLUMNS + ", body FROM webhook_deliveries")
                .query((rs, n) -> new StoredDelivery(rs.getLong("id"), null, rs.getObject("org_id", UUID.class),
                        rs.getObject("integration_id", UUID.class), rs.getString("via"), rs.getString("source_ip"),
                        (Boolean) rs.getObject("signature_valid"), rs.getString("signature_header"),
                        rs.getString("headers"), rs.getBytes("body"), rs.getInt("body_size"), rs.getInt("http_status"),
                        rs.getString("state"), rs.getString("outcome"), null, 0, null)).single();
        assertThat(new String(d.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(d.signatureValid()).isTrue();
        assertThat(d.integrationId()).isEqualTo(r.integrationId());
        assertThat(d.orgId()).isEqualTo(r.orgId());
        assertThat(d.state()).isEqualTo("pending");
        assertThat(d.signatureHeader()).startsWith("sha256=");
        assertThat(d.headersJson()).contains("facebookexternalua");
    }

    @Test
    void aBadOrMissingSignatureIs403LoggedWithoutBodyAndSignalled() {
        IntegrationRoute r = directory.add(route("111", "900", "s3cret"));
        String body = payload(entry("900", messagesChange("111", List.of(text("wamid.1", "1", "hi")), List.of())));
        assertThat(ingest.receive(r.webhookToken(), signed(body, "other-secret")).status()).isEqualTo(403);
        assertThat(ingest.receive(r.webhookToken(), unsigned(body, null, "10.0.0.2")).status()).isEqualTo(403);
        assertThat(count(jdbc, "signature_valid = FALSE AND body IS NULL AND state = 'rejected'"
                + " AND outcome = 'bad_signature' AND http_status = 403 AND integration_id = '" + r.integrationId() + "'"))
                .isEqualTo(2);
        assertThat(jdbc.sql("SELECT detail FROM webhook_deliveries ORDER BY id").query(String.class).list())
                .containsExactly("refused: X-Hub-Signature-256 does not match the integration's app secret",
                        "refused: no X-Hub-Signature-256 header");
        assertThat(signals.rejected).hasSize(2).allMatch(s -> s.startsWith(r.integrationId().toString()));
    }

    @Test
    void anIntegrationWithoutAppSecretRefusesEveryPostAndSaysWhy() {
        IntegrationRoute r = directory.add(route("111", "900", null));
        String body = payload(entry("900", messagesChange("111", List.of(text("wamid.1", "1", "hi")), List.of())));
        WebhookIngest.Verdict v = ingest.receive(r.webhookToken(), signed(body, "anything"));
        assertThat(v.status()).isEqualTo(403);
        assertThat(v.text()).contains("no app secret");
        assertThat(jdbc.sql("SELECT outcome || ': ' || detail FROM webhook_deliveries").query(String.class).single())
                .startsWith("no_app_secret: refused: integration 'Shop 111' has no app secret");
        assertThat(signals.rejected).singleElement().asString().contains("no app secret");
    }

    @Test
    void refusalsAreRateLimitedPerSourceWhileValidTrafficIsNot() {
        IntegrationRoute r = directory.add(route("111", "900", "s3cret"));
        String body = payload(entry("900", messagesChange("111", List.of(text("wamid.1", "1", "hi")), List.of())));
        int refused = 0;
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            int status = ingest.receive(r.webhookToken(), unsigned(body, "sha256=" + "0".repeat(64), "10.6.6.6")).status();
            if (status == 403) {
                refused++;
            } else if (status == 429) {
                limited++;
            }
        }
        assertThat(refused).isEqualTo(5); // the burst of the test settings
        assertThat(limited).isEqualTo(7);
        assertThat(count(jdbc, "state = 'rejected'")).isEqualTo(5); // the 429s are not logged one by one
        assertThat(signals.rejected).hasSize(5);
        // another source is not affected, and validly signed traffic from the flooding source still goes through
        assertThat(ingest.receive(r.webhookToken(), unsigned(body, null, "10.7.7.7")).status()).isEqualTo(403);
        WebhookIngest.Request valid = new WebhookIngest.Request(body.getBytes(StandardCharsets.UTF_8),
                WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8), "s3cret"), "10.6.6.6", null, null);
        for (int i = 0; i < 10; i++) {
            assertThat(ingest.receive(r.webhookToken(), valid).status()).isEqualTo(200);
        }
    }

    @Test
    void theGlobalUrlRoutesByPhoneNumberIdAndChecksEachAppSecret() {
        IntegrationRoute a = directory.add(route("111", "900", "secret-a"));
        IntegrationRoute b = directory.add(route("222", "901", "secret-b"));
        IntegrationRoute a2 = directory.add(route("333", "900", "secret-a"));
        String forB = payload(entry("901", messagesChange("222", List.of(text("wamid.b", "1", "hi")), List.of())));
        assertThat(ingest.receiveGlobal(signed(forB, "secret-b")).status()).isEqualTo(200);
        assertThat(ingest.receiveGlobal(signed(forB, "secret-a")).status()).isEqualTo(403);
        // one app, two numbers: one secret
        String sameApp = payload(entry("900", messagesChange("111", List.of(text("wamid.a1", "1", "x")), List.of()),
                messagesChange("333", List.of(text("wamid.a2", "1", "y")), List.of())));
        assertThat(ingest.receiveGlobal(signed(sameApp, "secret-a")).status()).isEqualTo(200);
        // numbers of two apps in one delivery: no single signature can match both secrets
        String mixed = payload(entry("900", messagesChange("111", List.of(text("wamid.m1", "1", "x")), List.of())),
                entry("901", messagesChange("222", List.of(text("wamid.m2", "1", "y")), List.of())));
        WebhookIngest.Verdict v = ingest.receiveGlobal(signed(mixed, "secret-a"));
        assertThat(v.status()).isEqualTo(403);
        assertThat(v.text()).contains("2 different apps");
        assertThat(jdbc.sql("SELECT integration_id FROM webhook_deliveries WHERE state = 'pending' ORDER BY id")
                .query(UUID.class).list()).containsExactly(b.integrationId(), a.integrationId());
        assertThat(a2).isNotNull();
        // template updates carry no phone number: routed by the entry's WABA
        String template = payload(entry("901", templateChange("hello", "APPROVED")));
        assertThat(ingest.receiveGlobal(signed(template, "secret-b")).status()).isEqualTo(200);
        assertThat(ingest.receiveGlobal(signed(template, "secret-a")).status()).isEqualTo(403);
    }

    @Test
    void theGlobalUrlKeepsDeliveriesForUnknownNumbersAndRefusesWhatIsNoWebhook() {
        String body = payload(entry("999", messagesChange("555", List.of(text("wamid.u", "1", "hi")), List.of())));
        assertThat(ingest.receiveGlobal(signed(body, "whatever")).status()).isEqualTo(200);
        assertThat(count(jdbc, "state = 'pending' AND signature_valid IS NULL AND org_id IS NULL AND body IS NOT NULL"))
                .isEqualTo(1);
        assertThat(ingest.receiveGlobal(unsigned("not json", null, "10.0.0.9")).status()).isEqualTo(400);
        assertThat(ingest.receiveGlobal(unsigned("{\"entry\":{}}", null, "10.0.0.9")).status()).isEqualTo(400);
        assertThat(count(jdbc, "outcome = 'malformed' AND body IS NULL")).isEqualTo(2);
    }

    @Test
    void tooLargeIs413AndLogged() {
        IntegrationRoute r = directory.add(route("111", "900", "s3cret"));
        WebhookIngest.Verdict v = ingest.tooLarge(r.webhookToken(), unsigned("", null, "10.0.0.3"), 5000);
        assertThat(v.status()).isEqualTo(413);
        assertThat(count(jdbc, "outcome = 'too_large' AND http_status = 413 AND integration_id = '"
                + r.integrationId() + "'")).isEqualTo(1);
        assertThat(ingest.tooLarge("unknown", unsigned("", null, "10.0.0.3"), 5000).status()).isEqualTo(404);
    }

    @Test
    void whenTheStoreIsDownTheAnswerIs503SoMetaRetries() {
        IntegrationRoute r = directory.add(route("111", "900", "s3cret"));
        String body = payload(entry("900", messagesChange("111", List.of(text("wamid.1", "1", "hi")), List.of())));
        storeDown = true;
        assertThat(ingest.receive(r.webhookToken(), signed(body, "s3cret")).status()).isEqualTo(503);
        storeDown = false;
        assertThat(ingest.receive(r.webhookToken(), signed(body, "s3cret")).status()).isEqualTo(200);
        assertThat(count(jdbc, "1 = 1")).isEqualTo(1);
    }

    @Test
    void whenTheIntegrationLookupCannotReachTheDatabaseTheAnswerIs503NotAnErrorPage() {
        IntegrationRoute r = directory.add(route("111", "900", "s3cret"));
        IntegrationDirectory down = new IntegrationDirectory() {
            private <T> T refuse() {
                throw new CannotGetJdbcConnectionException("connection refused");
            }

            @Override
            public Optional<IntegrationRoute> byWebhookToken(String token) {
                return refuse();
            }

            @Override
            public Optional<IntegrationRoute> byVerifyToken(String token) {
                return refuse();
            }

            @Override
            public Optional<IntegrationRoute> byPhoneNumberId(String phone) {
                return refuse();
            }

            @Override
            public Optional<IntegrationRoute> byId(UUID id) {
                return refuse();
            }

            @Override
            public List<IntegrationRoute> byWabaId(String waba) {
                return refuse();
            }
        };
        WebhookIngest outage = new WebhookIngest(down, signals, writer, new RefusalLimiter(settings), settings,
                new SimpleMeterRegistry());
        String body = payload(entry("900", messagesChange("111", List.of(text("wamid.1", "1", "hi")), List.of())));
        assertThat(outage.receive(r.webhookToken(), signed(body, "s3cret")).status()).isEqualTo(503);
        assertThat(outage.receiveGlobal(signed(body, "s3cret")).status()).isEqualTo(503);
        assertThat(outage.handshake(r.webhookToken(), "subscribe", r.verifyToken(), "1").status()).isEqualTo(503);
        assertThat(outage.globalHandshake("subscribe", r.verifyToken(), "1").status()).isEqualTo(503);
        assertThat(outage.tooLarge(r.webhookToken(), signed(body, "s3cret"), 5000).status()).isEqualTo(503);
        assertThat(count(jdbc, "1 = 1")).isZero();
    }

    @Test
    void anUnknownWebhookUrlIs404AndNotLogged() {
        String body = payload();
        assertThat(ingest.receive("no-such-token", signed(body, "x")).status()).isEqualTo(404);
        assertThat(count(jdbc, "1 = 1")).isZero();
    }
}
