package dev.parley.server.sending;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each integration's sending rate (messages per second from its phone number): the default unless set, at most
 * Meta's 1,000. Cached; a change on this node applies at once, other nodes see it within the cache time.
 */
@Repository
class SendingSettings {

    static final int MAX_RATE = 1000;

    private record Cached(int rate, long loadedAtNanos) {
    }

    private final JdbcClient jdbc;
    private final int defaultRate;
    private final long ttlNanos = 5_000_000_000L;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    SendingSettings(JdbcClient jdbc, @Value("${parley.sending.default-rate:80}") int defaultRate) {
        this.jdbc = jdbc;
        this.defaultRate = defaultRate;
    }

    int defaultRate() {
        return defaultRate;
    }

    /** The configured rate, or null when the default applies. */
    Integer configured(UUID integrationId) {
        return jdbc.sql("SELECT messages_per_second FROM sending_settings WHERE integration_id = ?")
                .params(integrationId).query(Integer.class).optional().orElse(null);
    }

    int rate(UUID integrationId) {
        Cached c = cache.get(integrationId);
        long now = System.nanoTime();
        if (c == null || now - c.loadedAtNanos() > ttlNanos) {
            Integer configured = configured(integrationId);
            c = new Cached(configured == null ? defaultRate : configured, now);
            cache.put(integrationId, c);
        }
        return c.rate();
    }

    void set(UUID orgId, UUID integrationId, Integer rate) {
        if (rate == null) {
            jdbc.sql("DELETE FROM sending_settings WHERE integration_id = ?").params(integrationId).update();
        } else {
            Instant now = Instant.now();
            int updated = jdbc.sql("UPDATE sending_settings SET messages_per_second = ?, updated_at = ? "
                            + "WHERE integration_id = ?")
                    .params(rate, OutboundQueue.time(now), integrationId).update();
            if (updated == 0) {
                try {
                    jdbc.sql("INSERT INTO sending_settings (integration_id, org_id, messages_per_second, updated_at) "
                                    + "VALUES (?, ?, ?, ?)")
                            .params(integrationId, orgId, rate, OutboundQueue.time(now)).update();
                } catch (DuplicateKeyException e) {
                    jdbc.sql("UPDATE sending_settings SET messages_per_second = ?, updated_at = ? "
                                    + "WHERE integration_id = ?")
                            .params(rate, OutboundQueue.time(now), integrationId).update();
                }
            }
        }
        cache.remove(integrationId);
    }
}
