package dev.parley.server.channel;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.parley.server.secret.SecretDecryptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link IntegrationDirectory} over {@code whatsapp_integrations}, cached with Caffeine: every change on this
 * node ({@link IntegrationChanged}) empties the cache, and entries expire after a short TTL
 * ({@code parley.channel.directory-ttl}, 5 s) so that several nodes converge. Misses are cached too (bounded
 * size), so a flood of unknown tokens does not become a flood of queries.
 */
@Service
class CachedIntegrationDirectory implements IntegrationDirectory {

    private static final Logger log = LoggerFactory.getLogger(CachedIntegrationDirectory.class);

    private enum By { WEBHOOK_TOKEN, VERIFY_FINGERPRINT, PHONE_NUMBER_ID, ID }

    private record Key(By by, String value) {
    }

    private final JdbcClient jdbc;
    private final Integrations integrations;
    private final Cache<Key, Optional<IntegrationRoute>> cache;
    private final Cache<String, java.util.List<IntegrationRoute>> byWaba;

    CachedIntegrationDirectory(JdbcClient jdbc, Integrations integrations,
                               @Value("${parley.channel.directory-ttl:PT5S}") Duration ttl,
                               @Value("${parley.channel.directory-size:10000}") long size) {
        this.jdbc = jdbc;
        this.integrations = integrations;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
        this.byWaba = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
    }

    @Override
    public Optional<IntegrationRoute> byWebhookToken(String webhookToken) {
        if (webhookToken == null || webhookToken.isEmpty() || webhookToken.length() > 64) {
            return Optional.empty();
        }
        return cache.get(new Key(By.WEBHOOK_TOKEN, webhookToken), k -> load("webhook_token = ?", k.value()));
    }

    @Override
    public Optional<IntegrationRoute> byVerifyToken(String verifyToken) {
        if (verifyToken == null || verifyToken.isEmpty() || verifyToken.length() > 500) {
            return Optional.empty();
        }
        String fp = integrations.fingerprint(verifyToken);
        return cache.get(new Key(By.VERIFY_FINGERPRINT, fp), k -> load("verify_token_fp = ?", k.value()));
    }

    @Override
    public Optional<IntegrationRoute> byPhoneNumberId(String phoneNumberId) {
        if (phoneNumberId == null || phoneNumberId.isEmpty() || phoneNumberId.length() > 64) {
            return Optional.empty();
        }
        return cache.get(new Key(By.PHONE_NUMBER_ID, phoneNumberId), k -> load("live_phone_number_id = ?", k.value()));
    }

    @Override
    public Optional<IntegrationRoute> byId(UUID integrationId) {
        if (integrationId == null) {
            return Optional.empty();
        }
        return cache.get(new Key(By.ID, integrationId.toString()), k -> load("id = ?", integrationId));
    }

    @Override
    public java.util.List<IntegrationRoute> byWabaId(String wabaId) {
        if (wabaId == null || wabaId.isEmpty() || wabaId.length() > 64) {
            return java.util.List.of();
        }
        return byWaba.get(wabaId, w -> jdbc.sql("SELECT " + Integration.COLUMNS + " FROM whatsapp_integrations "
                        + "WHERE waba_id = ? AND deleted_at IS NULL ORDER BY created_at, id")
                .param(w).query(Integration.ROW).list().stream().map(this::route).toList());
    }

    @EventListener
    void on(IntegrationChanged changed) {
        cache.invalidateAll();
        byWaba.invalidateAll();
    }

    /** Forgets everything (tests, and callers that changed rows behind the directory's back). */
    void invalidateAll() {
        cache.invalidateAll();
        byWaba.invalidateAll();
    }

    private Optional<IntegrationRoute> load(String where, Object value) {
        return jdbc.sql("SELECT " + Integration.COLUMNS + " FROM whatsapp_integrations WHERE " + where
                        + " AND deleted_at IS NULL")
                .param(value).query(Integration.ROW).optional().map(this::route);
    }

    private IntegrationRoute route(Integration i) {
        String appSecret = null;
        String verifyToken = null;
        try {
            appSecret = integrations.appSecret(i);
        } catch (SecretDecryptionException e) {
            log.error("Integration {}: its app secret cannot be decrypted ({}); webhooks will be refused until it is "
                    + "set again", i.id(), e.getMessage());
        }
        try {
            verifyToken = integrations.verifyToken(i);
        } catch (SecretDecryptionException e) {
            log.error("Integration {}: its verify token cannot be decrypted ({})", i.id(), e.getMessage());
        }
        return new IntegrationRoute(i.id(), i.orgId(), i.name(), i.enabled(), i.appId(), i.wabaId(),
                i.phoneNumberId(), appSecret, verifyToken, i.webhookToken());
    }
}
