package dev.parley.server.channel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The directory's lookups while the database is slow or down (the webhook ack path depends on them): the last
 * answer, one lookup per key, or a fast failure (which the webhook answers with 503).
 */
class CachedIntegrationDirectoryTest {

    static final Duration TTL = Duration.ofSeconds(5);

    final IntegrationRoute route = new IntegrationRoute(UUID.randomUUID(), UUID.randomUUID(), "Support line", true,
            "app", "900", "111", "s3cret", "verify", "tok-111");
    final AtomicInteger calls = new AtomicInteger();
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    volatile boolean down;
    volatile CountDownLatch hold;
    final ExecutorService pool = Executors.newFixedThreadPool(24);

    /** The database: answers {@link #route} by its webhook token; slow while {@link #hold} is set, failing while down. */
    final CachedIntegrationDirectory.Rows database = new CachedIntegrationDirectory.Rows() {
        @Override
        public Optional<IntegrationRoute> find(CachedIntegrationDirectory.By by, Object value) {
            calls.incrementAndGet();
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (down) {
                throw new CannotGetJdbcConnectionException("connection refused");
            }
            return by == CachedIntegrationDirectory.By.WEBHOOK_TOKEN && value.equals(route.webhookToken())
                    ? Optional.of(route) : Optional.empty();
        }

        @Override
        public List<IntegrationRoute> ofWaba(String wabaId) {
            return List.of();
        }
    };

    /** A directory on the test's clock; background lookups run on {@code refresher}. */
    CachedIntegrationDirectory directory(Duration backoff, Executor refresher) {
        return new CachedIntegrationDirectory(database, v -> "fp:" + v, TTL, 1000, backoff, now::get, refresher);
    }

    void later(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @AfterEach
    void stop() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
        pool.shutdownNow();
    }

    @Test
    void whileTheDatabaseIsDownAKnownUrlKeepsItsLastAnswerAndAnUnknownOneFailsAtOnce() {
        // background lookups run at once on the reading thread, so that each step is over when the read returns
        CachedIntegrationDirectory directory = directory(Duration.ofHours(1), Runnable::run);
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        down = true;
        later(TTL.plusSeconds(1));
        // the lookup fails: the last answer stays, and lookups leave the database alone for a while
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        assertThat(calls.get()).isEqualTo(2);
        assertThat(directory.failing()).isTrue();
        // meanwhile nobody waits for the database: known keys answer the last answer, others fail at once
        for (int i = 0; i < 3; i++) {
            later(TTL.plusSeconds(1)); // older than the TTL (and than twice it, in all), still answered
            assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        }
        assertThatThrownBy(() -> directory.byWebhookToken("never-seen")).isInstanceOf(DataAccessException.class);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aMissWhileTheDatabaseIsDownFailsWithTheDatabaseError() {
        CachedIntegrationDirectory directory = directory(Duration.ofHours(1), Runnable::run);
        down = true;
        assertThatThrownBy(() -> directory.byWebhookToken(route.webhookToken()))
                .isInstanceOf(CannotGetJdbcConnectionException.class);
        assertThat(calls.get()).isEqualTo(1);
        down = false;
        // nothing was kept of the failure: after the back-off the same key is looked up and found
        later(Duration.ofHours(2));
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
    }

    @Test
    void afterTheBackoffTheDatabaseIsAskedAgainAndItsAnswerWins() {
        CachedIntegrationDirectory directory = directory(Duration.ofSeconds(1), Runnable::run);
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        down = true;
        later(TTL.plusSeconds(1));
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        assertThatThrownBy(() -> directory.byWebhookToken("never-seen")).isInstanceOf(DataAccessException.class);
        down = false;
        later(Duration.ofSeconds(1));
        int before = calls.get();
        assertThat(directory.byWebhookToken("never-seen")).isEmpty();
        assertThat(directory.failing()).isFalse();
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void whileOneLookupOfAKeyIsSlowTheOthersAnswerWithoutWaiting() throws Exception {
        CachedIntegrationDirectory directory = directory(Duration.ofHours(1), pool);
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        hold = new CountDownLatch(1);
        later(TTL.plusSeconds(1));
        // the answer is old: this read starts its lookup in the background and answers the old one
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
        // the database is slow for this key: 20 more requests answer at once, without asking it
        for (int i = 0; i < 20; i++) {
            assertThat(pool.submit(() -> directory.byWebhookToken(route.webhookToken())).get(5, TimeUnit.SECONDS))
                    .contains(route);
        }
        assertThat(calls.get()).isEqualTo(2);
        hold.countDown();
        // once it answered, the key is fresh again: the next read asks nobody
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            int before = calls.get();
            assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
            assertThat(calls.get()).isEqualTo(before).isEqualTo(2);
        });
    }

    @Test
    void concurrentMissesOfOneKeyWaitForOneLookup() throws Exception {
        CachedIntegrationDirectory directory = directory(Duration.ofHours(1), pool);
        hold = new CountDownLatch(1);
        List<Thread> readers = new CopyOnWriteArrayList<>();
        List<Future<Optional<IntegrationRoute>>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(pool.submit(() -> {
                readers.add(Thread.currentThread());
                return directory.byWebhookToken(route.webhookToken());
            }));
        }
        // every reader is inside the lookup: one asks the (slow) database, the others wait for it
        await().atMost(Duration.ofSeconds(10)).until(() -> readers.size() == 20
                && readers.stream().noneMatch(t -> t.getState() == Thread.State.RUNNABLE));
        assertThat(calls.get()).isEqualTo(1);
        hold.countDown();
        for (Future<Optional<IntegrationRoute>> answer : answers) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).contains(route);
        }
        assertThat(calls.get()).isEqualTo(1);
    }
}
