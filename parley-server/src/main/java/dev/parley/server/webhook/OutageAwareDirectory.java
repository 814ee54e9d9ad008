package dev.parley.server.webhook;

import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The integration lookups of the ack path, kept answering while the database is slow or down. Without it, a
 * database outage made webhooks hang instead of answering 503: once the directory's cache entry of a busy URL
 * expired, every request for it waited in turn for its own lookup (the pool's 5-second connection timeout each,
 * one after the other), Tomcat's threads filled up, and even health stopped answering.
 *
 * <ul>
 *   <li>One lookup per key at a time: while one runs, other requests for the same key get the last answer (at
 *       most a few seconds old: the directory's own cache is as old).</li>
 *   <li>A lookup failing with a database error opens a breaker for {@code backoffNanos}: meanwhile lookups answer
 *       the last answer when there is one (the delivery then goes to the store, which answers 503 quickly while it
 *       fails) and fail at once otherwise (503).</li>
 * </ul>
 */
final class OutageAwareDirectory implements IntegrationDirectory {

    private static final int MAX_KEPT = 10_000;

    private final IntegrationDirectory delegate;
    private final long backoffNanos;
    private final Map<String, Object> last = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile long openUntil;
    private volatile boolean open;

    OutageAwareDirectory(IntegrationDirectory delegate, long backoffNanos) {
        this.delegate = delegate;
        this.backoffNanos = backoffNanos;
    }

    @Override
    public Optional<IntegrationRoute> byWebhookToken(String webhookToken) {
        return lookup("t:" + webhookToken, () -> delegate.byWebhookToken(webhookToken));
    }

    @Override
    public Optional<IntegrationRoute> byVerifyToken(String verifyToken) {
        return lookup("v:" + verifyToken, () -> delegate.byVerifyToken(verifyToken));
    }

    @Override
    public Optional<IntegrationRoute> byPhoneNumberId(String phoneNumberId) {
        return lookup("p:" + phoneNumberId, () -> delegate.byPhoneNumberId(phoneNumberId));
    }

    @Override
    public Optional<IntegrationRoute> byId(UUID integrationId) {
        return lookup("i:" + integrationId, () -> delegate.byId(integrationId));
    }

    @Override
    public List<IntegrationRoute> byWabaId(String wabaId) {
        return lookup("w:" + wabaId, () -> delegate.byWabaId(wabaId));
    }

    /** Whether lookups are refused for now (a database error less than {@code backoffNanos} ago). */
    boolean open() {
        return open && System.nanoTime() - openUntil < 0;
    }

    @SuppressWarnings("unchecked")
    private <T> T lookup(String key, Supplier<T> call) {
        T previous = (T) last.get(key);
        if (open()) {
            if (previous != null) {
                return previous;
            }
            throw new TransientDataAccessResourceException("the database is unavailable (a lookup failed just now)");
        }
        boolean mine = inFlight.putIfAbsent(key, Boolean.TRUE) == null;
        if (!mine && previous != null) {
            return previous; // another request is asking the database for the same key right now
        }
        try {
            T value = call.get();
            if (value != null && (last.size() < MAX_KEPT || last.containsKey(key))) {
                last.put(key, value);
            }
            open = false;
            return value;
        } catch (DataAccessException e) {
            openUntil = System.nanoTime() + backoffNanos;
            open = true;
            if (previous != null) {
                return previous;
            }
            throw e;
        } finally {
            if (mine) {
                inFlight.remove(key);
            }
        }
    }
}
