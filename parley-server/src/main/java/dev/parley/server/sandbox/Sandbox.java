package dev.parley.server.sandbox;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.Seed;
import dev.parley.emulator.SentMessage;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import dev.parley.server.channel.SystemIntegrations;
import dev.parley.server.identity.Organizations;
import dev.parley.server.secret.EncryptedColumn;
import dev.parley.server.secret.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The sandbox channel: on start, an embedded {@link CloudApiEmulator} on a free local port, seeded with this
 * installation's sandbox business, and a WhatsApp integration in the Default organization whose Graph base URL
 * points at it and whose webhook URL the emulator is subscribed to. A simulated customer's message then travels
 * exactly the way a real one does: emulator -> signed webhook -> Parley's ingest -> the inbox.
 *
 * <p>On by default on the embedded database, off on PostgreSQL ({@code PARLEY_SANDBOX}). The first start
 * creates the integration; later starts reuse it (re-created if someone deleted it).
 */
@Component
public class Sandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    static final String TABLE = "sandbox_channel";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a running sandbox is wired to. */
    public record Info(UUID orgId, UUID integrationId, String phoneNumberId, String displayPhoneNumber,
                       String verifiedName, String emulatorUrl) {
    }

    private final boolean enabled;
    private final JdbcClient jdbc;
    private final SecretBox box;
    private final Organizations organizations;
    private final SystemIntegrations systemIntegrations;
    private final IntegrationDirectory directory;
    private volatile int serverPort = -1;
    private volatile CloudApiEmulator emulator;
    private volatile Info info;

    Sandbox(@Value("${parley.sandbox.enabled:}") String enabledSetting,
            @Value("${spring.datasource.url:}") String datasourceUrl, JdbcClient jdbc, SecretBox box,
            Organizations organizations, SystemIntegrations systemIntegrations, IntegrationDirectory directory) {
        this.enabled = resolveEnabled(enabledSetting, datasourceUrl);
        this.jdbc = jdbc;
        this.box = box;
        this.organizations = organizations;
        this.systemIntegrations = systemIntegrations;
        this.directory = directory;
    }

    /** Blank means automatic: on for the embedded H2 database, off otherwise. */
    static boolean resolveEnabled(String setting, String datasourceUrl) {
        if (setting != null && !setting.isBlank()) {
            String s = setting.strip().toLowerCase(java.util.Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return s.equals("true");
            }
            throw new IllegalArgumentException("PARLEY_SANDBOX must be true or false, was '" + setting + "'");
        }
        return datasourceUrl != null && datasourceUrl.startsWith("jdbc:h2:");
    }

    public boolean enabled() {
        return enabled;
    }

    /** The running sandbox, if any. */
    public Optional<Info> info() {
        return Optional.ofNullable(info);
    }

    @EventListener
    void onWebServer(WebServerInitializedEvent event) {
        serverPort = event.getWebServer().getPort();
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        if (!enabled) {
            return;
        }
        try {
            start();
        } catch (RuntimeException e) {
            // The sandbox is a convenience: Parley itself keeps running without it.
            log.error("The sandbox channel could not start: {}", e.toString(), e);
        }
    }

    /** Starts (or restarts) the emulator and wires the sandbox integration to it. Idempotent. */
    synchronized void start() {
        Optional<UUID> orgId = organizations.instanceOrganizationId();
        if (orgId.isEmpty() || serverPort <= 0) {
            log.warn("Sandbox not started: no Default organization or no HTTP port yet");
            return;
        }
        close();
        CloudApiEmulator emu = CloudApiEmulator.start(EmulatorOptions.builder()
                .host("127.0.0.1").port(0)
                // Meta retries over days; the sandbox retries within seconds so a restart of Parley catches up fast.
                .retryTimeScale(0.0005)
                .handshakeRetryInterval(Duration.ofSeconds(1))
                .statusDelays(Duration.ofMillis(400), Duration.ofMillis(1200), Duration.ofMillis(2500))
                .build());
        emulator = emu;
        Row row = load(orgId.get());
        String graphBaseUrl = emu.baseUrl();
        if (row == null || !systemIntegrations.pointAt(row.orgId, row.integrationId, graphBaseUrl)) {
            if (row != null) {
                jdbc.sql("DELETE FROM " + TABLE + " WHERE integration_id = ?").param(row.integrationId).update();
                log.info("The sandbox integration was deleted; creating a new one");
            }
            row = create(orgId.get(), graphBaseUrl);
        }
        IntegrationRoute route = directory.byId(row.integrationId)
                .orElseThrow(() -> new IllegalStateException("the sandbox integration vanished while starting"));
        String webhookUrl = "http://127.0.0.1:" + serverPort + "/webhooks/whatsapp/" + route.webhookToken();
        Seed.Builder seed = Seed.builder().appId(row.appId).appSecret(row.appSecret).accessToken(row.accessToken)
                .wabaId(row.wabaId).phoneNumberId(row.phoneNumberId).displayPhoneNumber(row.displayPhoneNumber)
                .verifiedName(row.verifiedName);
        if (route.enabled()) {
            seed.webhook(webhookUrl, route.verifyToken());
        } else {
            log.info("The sandbox integration is disabled: the emulator is not subscribed to its webhook");
        }
        emu.seed(seed.build());
        info = new Info(row.orgId, row.integrationId, row.phoneNumberId, row.displayPhoneNumber, row.verifiedName,
                emu.baseUrl());
        log.info("\n{}\nSandbox channel ready: integration {} (\"{}\", +{}) wired to the built-in Cloud API "
                        + "emulator at {}.\nSimulate a customer writing to it:\n  curl -X POST http://localhost:{}"
                        + "/api/v1/sandbox/messages -H 'Authorization: Bearer <token>' "
                        + "-H 'Content-Type: application/json' -d '{\"from\":\"15551234567\",\"name\":\"Ana\","
                        + "\"message\":{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}}'\n{}",
                "=".repeat(72), row.integrationId, row.verifiedName, row.displayPhoneNumber, emu.baseUrl(), serverPort,
                "=".repeat(72));
    }

    /** A simulated customer sends a message (Meta's inbound shape) to the sandbox number; answers its wamid. */
    public String customerSends(String from, String name, String messageJson) {
        CloudApiEmulator emu = running();
        return emu.inbound(info.phoneNumberId(), from, name, messageJson);
    }

    /** What the business sent through the Graph API to the sandbox's customers, oldest first. */
    public List<SentMessage> sentByBusiness() {
        return running().sent(info.phoneNumberId());
    }

    private CloudApiEmulator running() {
        CloudApiEmulator emu = emulator;
        if (emu == null || info == null) {
            throw new IllegalStateException("the sandbox is not running");
        }
        return emu;
    }

    @Override
    public synchronized void close() {
        CloudApiEmulator emu = emulator;
        emulator = null;
        info = null;
        if (emu != null) {
            emu.close();
        }
    }

    // ---- storage -------------------------------------------------------------------------------------------

    private record Row(UUID integrationId, UUID orgId, String appId, String wabaId, String phoneNumberId,
                       String displayPhoneNumber, String verifiedName, String appSecret, String accessToken) {
        @Override
        public String toString() {
            return "Row[" + integrationId + "]";
        }
    }

    private Row load(UUID orgId) {
        return jdbc.sql("SELECT integration_id, org_id, app_id, waba_id, phone_number_id, display_phone_number, "
                        + "verified_name, app_secret_enc, access_token_enc FROM " + TABLE
                        + " WHERE org_id = ? ORDER BY created_at LIMIT 1")
                .param(orgId)
                .query((rs, n) -> {
                    String id = rs.getString("integration_id");
                    return new Row(UUID.fromString(id), UUID.fromString(rs.getString("org_id")),
                            rs.getString("app_id"), rs.getString("waba_id"), rs.getString("phone_number_id"),
                            rs.getString("display_phone_number"), rs.getString("verified_name"),
                            box.decrypt(rs.getString("app_secret_enc"), TABLE, id, "app_secret_enc"),
                            box.decrypt(rs.getString("access_token_enc"), TABLE, id, "access_token_enc"));
                })
                .optional().orElse(null);
    }

    private Row create(UUID orgId, String graphBaseUrl) {
        String appId = "1" + digits(14);
        String wabaId = "1" + digits(14);
        String phoneNumberId = "1" + digits(14);
        String display = "1555" + digits(7);
        String verifiedName = "Parley Sandbox";
        String appSecret = hex(16);
        String accessToken = "EAAG" + hex(24);
        UUID integrationId = systemIntegrations.create(orgId, new SystemIntegrations.Spec("Sandbox", appId,
                appSecret, wabaId, phoneNumberId, accessToken, graphBaseUrl));
        String id = integrationId.toString();
        jdbc.sql("INSERT INTO " + TABLE + " (integration_id, org_id, app_id, waba_id, phone_number_id, "
                        + "display_phone_number, verified_name, app_secret_enc, access_token_enc, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(integrationId, orgId, appId, wabaId, phoneNumberId, display, verifiedName,
                        box.encrypt(appSecret, TABLE, id, "app_secret_enc"),
                        box.encrypt(accessToken, TABLE, id, "access_token_enc"),
                        OffsetDateTime.now(ZoneOffset.UTC))
                .update();
        log.info("Created the sandbox integration {} in the Default organization", integrationId);
        return new Row(integrationId, orgId, appId, wabaId, phoneNumberId, display, verifiedName, appSecret,
                accessToken);
    }

    private static String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return sb.toString();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Configuration(proxyBeanMethods = false)
    static class Columns {
        @Bean
        EncryptedColumn sandboxAppSecret() {
            return EncryptedColumn.of(TABLE, "integration_id", "app_secret_enc");
        }

        @Bean
        EncryptedColumn sandboxAccessToken() {
            return EncryptedColumn.of(TABLE, "integration_id", "access_token_enc");
        }
    }
}
