package dev.parley.server.webhook;

import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ack path's integration lookups while the database is down: the last answer, or a fast failure. */
class OutageAwareDirectoryTest {

    final IntegrationRoute route = WebhookTestKit.route("111", "900", "s3cret");
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;
    volatile CountDownLatch hold;

    final IntegrationDirectory database = new IntegrationDirectory() {
        @Override
        public Optional<IntegrationRoute> byWebhookToken(String token) {
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
            return token.equals(route.webhookToken()) ? Optional.of(route) : Optional.empty();
        }

        @Override
        public Optional<IntegrationRoute> byVerifyToken(String token) {
            return Optional.empty();
        }

        @Override
        public Optional<IntegrationRoute> byPhoneNumberId(String phone) {
            return Optional.empty();
        }

        @Override
        public Optional<IntegrationRoute> byId(java.util.UUID id) {
            return Optional.empty();
        }
    };

    @Test
    void whileTheDatabaseIsDownAKnownUrlKeepsItsLastAnswerAndAnUnknownOneFailsAtOnce() {
        OutageAwareDirectory directory = new OutageAwareDirectory(database, Duration.ofHours(1).toNanos());
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        down = true;
        // the failing lookup answers the last answer and opens the breaker
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        assertThat(directory.open()).isTrue();
        int before = calls.get();
        // meanwhile nobody waits for the database: known keys answer the last answer, others fail at once
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        assertThatThrownBy(() -> directory.byWebhookToken("never-seen")).isInstanceOf(DataAccessException.class);
        assertThat(calls.get()).isEqualTo(before);
    }

    @Test
    void afterTheBackoffTheDatabaseIsAskedAgainAndItsAnswerWins() {
        OutageAwareDirectory directory = new OutageAwareDirectory(database, 0);
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        down = true;
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        assertThatThrownBy(() -> directory.byWebhookToken("never-seen")).isInstanceOf(DataAccessException.class);
        down = false;
        int before = calls.get();
        assertThat(directory.byWebhookToken("never-seen")).isEmpty();
        assertThat(directory.open()).isFalse();
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void whileOneLookupOfAKeyIsSlowTheOthersAnswerWithoutWaiting() throws Exception {
        OutageAwareDirectory directory = new OutageAwareDirectory(database, Duration.ofHours(1).toNanos());
        assertThat(directory.byWebhookToken(route.webhookToken())).contains(route);
        hold = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<IntegrationRoute>> slow = pool.submit(() -> directory.byWebhookToken(route.webhookToken()));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
            // the database is slow for this key: 20 more requests answer at once, without asking it
            for (int i = 0; i < 20; i++) {
                assertThat(pool.submit(() -> directory.byWebhookToken(route.webhookToken())).get(5, TimeUnit.SECONDS))
                        .contains(route);
            }
            assertThat(calls.get()).isEqualTo(2);
            hold.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).contains(route);
        } finally {
            hold.countDown();
            pool.shutdownNow();
        }
    }
}
