package dev.parley.server.channel;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.server.secret.SecretDecryptionException;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@link IntegrationDirectory} over {@code whatsapp_integrations}, cached with Caffeine. Every change on this node
 * ({@link IntegrationChanged}) empties the cache. Misses are cached too (bounded size), so a flood of unknown tokens
 * does not become a flood of queries.
 *
 * <p>It keeps answering while the database is slow or down (without this, a database outage made webhooks hang
 * instead of answering 503: once the entry of a busy URL expired, every request for it waited in turn for its own
 * lookup, the pool's connection timeout each, Tomcat's threads filled up and even health stopped answering):
 * <ul>
 *   <li>An answer older than {@code parley.channel.directory-ttl} (5 s) is looked up again in the background on
 *       its next use, once per key, while the old answer is served (so that several nodes converge); an answer not
 *       confirmed for twice that long is forgotten.</li>
 *   <li>A miss is looked up once per key: concurrent requests for the same key wait for that one lookup.</li>
 *   <li>When a lookup fails with a database error, the old answer stays (and counts as fresh again), and for
 *       {@link #BACKOFF} nobody asks the database: known keys answer their last answer (the delivery then gets its
 *       503 from the failing store) and misses fail at once (503).</li>
 * </ul>
 */
@Service
class CachedIntegrationDirectory implements IntegrationDirectory {

    private static final Logger log = LoggerFactory.getLogger(CachedIntegrationDirectory.class);

    /** How long after a database error lookups do not ask the database. */
    static final Duration BACKOFF = Duration.ofSeconds(1);

    enum By {
        WEBHOOK_TOKEN("webhook_token"), VERIFY_FINGERPRINT("verify_token_fp"),
        PHONE_NUMBER_ID("live_phone_number_id"), ID("id");

        final String column;

        By(String column) {
            this.column = column;
        }
    }

    /** The directory's queries: SQL over {@code whatsapp_integrations}, or a stand-in that is slow or down in tests. */
    interface Rows {
        /** The live (not deleted) integration whose {@code by} column equals {@code value}. */
        Optional<IntegrationRoute> find(By by, Object value);

        /** The live integrations of a WABA, oldest first. */
        List<IntegrationRoute> ofWaba(String wabaId);
    }

    private record Key(By by, Object value) {
    }

    private final UnaryOperator<String> fingerprint;
    private final Ticker ticker;
    private final Executor refresher;
    private final long backoffNanos;
    private final LoadingCache<Key, Optional<IntegrationRoute>> cache;
    private final LoadingCache<String, List<IntegrationRoute>> byWaba;
    private volatile boolean failing;
    private volatile long failedAt;

    @Autowired
    CachedIntegrationDirectory(JdbcClient jdbc, Integrations integrations,
                               @Value("${parley.channel.directory-ttl:PT5S}") Duration ttl,
                               @Value("${parley.channel.directory-size:10000}") long size) {
        this(new SqlRows(jdbc, integrations), integrations::fingerprint, ttl, size, BACKOFF, Ticker.systemTicker(),
                refresher());
    }

    /** For tests: the queries, the clock and where background lookups run are theirs. */
    CachedIntegrationDirectory(Rows rows, UnaryOperator<String> fingerprint, Duration ttl, long size,
                               Duration backoff, Ticker ticker, Executor refresher) {
        this.fingerprint = fingerprint;
        this.ticker = ticker;
        this.refresher = refresher;
        this.backoffNanos = backoff.toNanos();
        this.cache = cache(ttl, size, k -> rows.find(k.by(), k.value()));
        this.byWaba = cache(ttl, size, rows::ofWaba);
    }

    /** Background lookups: a few daemon threads of their own (a lookup can wait seconds for a connection). */
    private static ExecutorService refresher() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "parley-integration-directory");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private <K, V> LoadingCache<K, V> cache(Duration ttl, long size, Function<K, V> query) {
        return Caffeine.newBuilder().ticker(ticker).executor(refresher)
                .refreshAfterWrite(ttl).expireAfterWrite(ttl.multipliedBy(2)).maximumSize(size)
                .build(new CacheLoader<K, V>() {
                    @Override
                    public V load(K key) {
                        if (failing()) {
                            throw new TransientDataAccessResourceException(
                                    "the database is unavailable (a lookup failed just now)");
                        }
                        return ask(query, key);
                    }

                    @Override
                    public V reload(K key, V old) {
                        if (failing()) {
                            return old;
                        }
                        try {
                            return ask(query, key);
                        } catch (DataAccessException e) {
                            log.debug("integration lookup failed, the last answer stays: {}", e.toString());
                            return old;
                        }
                    }
                });
    }

    private <K, V> V ask(Function<K, V> query, K key) {
        try {
            V value = query.apply(key);
            if (failing) {
                failing = false;
            }
            return value;
        } catch (DataAccessException e) {
            failedAt = ticker.read();
            failing = true;
            throw e;
        }
    }

    /** Whether lookups leave the database alone for now (a database error less than the back-off ago). */
    boolean failing() {
        return failing && ticker.read() - failedAt < backoffNanos;
    }

    @PreDestroy
    void close() {
        if (refresher instanceof ExecutorService pool) {
            pool.shutdownNow();
        }
    }

    @Override
    public Optional<IntegrationRoute> byWebhookToken(String webhookToken) {
        if (webhookToken == null || webhookToken.isEmpty() || webhookToken.length() > 64) {
            return Optional.empty();
        }
        return cache.get(new Key(By.WEBHOOK_TOKEN, webhookToken));
    }

    @Override
    public Optional<IntegrationRoute> byVerifyToken(String verifyToken) {
        if (verifyToken == null || verifyToken.isEmpty() || verifyToken.length() > 500) {
            return Optional.empty();
        }
        return cache.get(new Key(By.VERIFY_FINGERPRINT, fingerprint.apply(verifyToken)));
    }

    @Override
    public Optional<IntegrationRoute> byPhoneNumberId(String phoneNumberId) {
        if (phoneNumberId == null || phoneNumberId.isEmpty() || phoneNumberId.length() > 64) {
            return Optional.empty();
        }
        return cache.get(new Key(By.PHONE_NUMBER_ID, phoneNumberId));
    }

    @Override
    public Optional<IntegrationRoute> byId(UUID integrationId) {
        if (integrationId == null) {
            return Optional.empty();
        }
        return cache.get(new Key(By.ID, integrationId));
    }

    @Override
    public List<IntegrationRoute> byWabaId(String wabaId) {
        if (wabaId == null || wabaId.isEmpty() || wabaId.length() > 64) {
            return List.of();
        }
        return byWaba.get(wabaId);
    }

    @EventListener
    void on(IntegrationChanged changed) {
        invalidateAll();
    }

    /** Forgets everything (tests, and callers that changed rows behind the directory's back). */
    void invalidateAll() {
        cache.invalidateAll();
        byWaba.invalidateAll();
    }

    /** The queries over {@code whatsapp_integrations}, secrets decrypted. */
    private record SqlRows(JdbcClient jdbc, Integrations integrations) implements Rows {

        @Override
        public Optional<IntegrationRoute> find(By by, Object value) {
            return jdbc.sql("SELECT " + Integration.COLUMNS + " FROM whatsapp_integrations WHERE " + by.column
                            + " = ? AND deleted_at IS NULL")
                    .param(value).query(Integration.ROW).optional().map(this::route);
        }

        @Override
        public List<IntegrationRoute> ofWaba(String wabaId) {
            return jdbc.sql("SELECT " + Integration.COLUMNS + " FROM whatsapp_integrations "
                            + "WHERE waba_id = ? AND deleted_at IS NULL ORDER BY created_at, id")
                    .param(wabaId).query(Integration.ROW).list().stream().map(this::route).toList();
        }

        private IntegrationRoute route(Integration i) {
            String appSecret = null;
            String verifyToken = null;
            try {
                appSecret = integrations.appSecret(i);
            } catch (SecretDecryptionException e) {
                log.error("Integration {}: its app secret cannot be decrypted ({}); webhooks will be refused until "
                        + "it is set again", i.id(), e.getMessage());
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
}
