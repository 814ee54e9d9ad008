package dev.parley.server.webhook;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The group-commit writer: every future completes only after its row is committed; failures fail the futures. */
class DeliveryWriterTest {

    private final List<DeliveryWriter> writers = new ArrayList<>();

    @AfterEach
    void close() {
        writers.forEach(DeliveryWriter::close);
    }

    private DeliveryWriter writer(DataSource ds, Runnable afterCommit) {
        DeliveryWriter w = new DeliveryWriter(ds, WebhookSettings.defaults(), afterCommit);
        writers.add(w);
        return w;
    }

    static DeliveryRow row(String marker) {
        byte[] body = ("{\"marker\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8);
        return new DeliveryRow(OffsetDateTime.now(ZoneOffset.UTC), null, null, DeliveryRow.VIA_GLOBAL, marker, true,
                "sha256=00", "{}", body, body.length, 200, DeliveryState.PENDING, DeliveryState.OUTCOME_QUEUED, null);
    }

    @Test
    void manyConcurrentWritersEachSeeTheirOwnRowCommittedWhenTheirFutureCompletes() throws Exception {
        DataSource ds = WebhookTestKit.h2();
        DeliveryWriter writer = writer(ds, null);
        JdbcClient jdbc = JdbcClient.create(ds);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            String marker = "m" + i;
            results.add(pool.submit(() -> {
                writer.submit(row(marker)).get(30, TimeUnit.SECONDS);
                // read on another connection: committed, not merely written
                return jdbc.sql("SELECT COUNT(*) FROM webhook_deliveries WHERE source_ip = ?").param(marker)
                        .query(Integer.class).single();
            }));
        }
        for (Future<Integer> f : results) {
            assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        }
        pool.shutdown();
        assertThat(WebhookTestKit.count(jdbc, "1 = 1")).isEqualTo(800);
        byte[] stored = jdbc.sql("SELECT body FROM webhook_deliveries WHERE source_ip = 'm7'").query(byte[].class)
                .single();
        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("{\"marker\":\"m7\"}");
    }

    @Test
    void deliveriesArrivingDuringACommitShareTheNextOne() throws Exception {
        DataSource h2 = WebhookTestKit.h2();
        CountDownLatch firstConnection = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger connections = new AtomicInteger();
        DataSource gated = new DelegatingDataSource(h2) {
            @Override
            public Connection getConnection() throws SQLException {
                if (connections.incrementAndGet() == 1) {
                    firstConnection.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.getConnection();
            }
        };
        AtomicInteger commits = new AtomicInteger();
        DeliveryWriter writer = writer(gated, commits::incrementAndGet);
        CompletableFuture<Void> first = writer.submit(row("first"));
        assertThat(firstConnection.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            waiting.add(writer.submit(row("w" + i)));
        }
        // nothing is acknowledged before its commit
        assertThat(first).isNotDone();
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<Void> f : waiting) {
            f.get(30, TimeUnit.SECONDS);
        }
        // the after-commit hook runs just after the futures complete, on the writer thread
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> commits.get() >= 2);
        assertThat(connections.get()).isEqualTo(2);
        assertThat(commits.get()).isEqualTo(2);
        assertThat(WebhookTestKit.count(JdbcClient.create(h2), "1 = 1")).isEqualTo(26);
    }

    @Test
    void aStoreFailureFailsEveryFutureOfTheBatchAndTheWriterRecovers() throws Exception {
        DataSource h2 = WebhookTestKit.h2();
        AtomicInteger failuresLeft = new AtomicInteger(1);
        DataSource flaky = new DelegatingDataSource(h2) {
            @Override
            public Connection getConnection() throws SQLException {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new SQLException("database is down");
                }
                return super.getConnection();
            }
        };
        DeliveryWriter writer = writer(flaky, null);
        CompletableFuture<Void> failed = writer.submit(row("lost"));
        assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(DeliveryWriter.StoreUnavailableException.class);
        writer.submit(row("kept")).get(30, TimeUnit.SECONDS);
        JdbcClient jdbc = JdbcClient.create(h2);
        assertThat(WebhookTestKit.count(jdbc, "source_ip = 'kept'")).isEqualTo(1);
        assertThat(WebhookTestKit.count(jdbc, "source_ip = 'lost'")).isZero();
    }

    @Test
    void aBadRowFailsItsBatchWithoutCommittingAnyOfIt() throws Exception {
        DataSource h2 = WebhookTestKit.h2();
        DeliveryWriter writer = writer(h2, null);
        DeliveryRow bad = new DeliveryRow(OffsetDateTime.now(ZoneOffset.UTC), null, null, null, "bad", true, null, null,
                null, 0, 200, DeliveryState.PENDING, DeliveryState.OUTCOME_QUEUED, null); // via is NOT NULL
        assertThatThrownBy(() -> writer.submit(bad).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(WebhookTestKit.count(JdbcClient.create(h2), "source_ip = 'bad'")).isZero();
    }

    @Test
    void aStoppedWriterRefusesAtOnce() {
        DeliveryWriter writer = writer(WebhookTestKit.h2(), null);
        writer.close();
        assertThat(writer.submit(row("late"))).isCompletedExceptionally();
    }

    @Test
    void healthFollowsTheCommitsDownWhileTheyFailAndUpAgainWithoutARestartThroughTheProbe() throws Exception {
        DataSource ds = WebhookTestKit.h2();
        AtomicInteger down = new AtomicInteger();
        DataSource maybeDown = new DelegatingDataSource(ds) {
            @Override
            public Connection getConnection() throws SQLException {
                if (down.get() == 1) {
                    throw new SQLException("the database refuses connections");
                }
                return super.getConnection();
            }
        };
        DeliveryWriter writer = writer(maybeDown, null);
        WebhookStoreHealth health = new WebhookStoreHealth(writer, Duration.ofSeconds(30), Duration.ZERO,
                Duration.ofSeconds(10));
        JdbcClient jdbc = JdbcClient.create(ds);

        writer.submit(row("ok-1")).get(10, TimeUnit.SECONDS);
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");

        down.set(1);
        assertThatThrownBy(() -> writer.submit(row("refused")).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(DeliveryWriter.StoreUnavailableException.class);
        var refused = health.health();
        assertThat(refused.getStatus().getCode()).isEqualTo("DOWN");
        assertThat(String.valueOf(refused.getDetails().get("reason"))).contains("cannot be committed");
        assertThat(String.valueOf(refused.getDetails().get("last_error"))).contains("refuses connections");
        assertThat(writer.status().failing()).isTrue();

        down.set(0);
        // no delivery arrives: health's probe commits, and that is enough to be UP again
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(writer.status().failing()).isFalse();
        // the probe left nothing behind; the refused delivery was never stored
        assertThat(jdbc.sql("SELECT COUNT(*) FROM webhook_deliveries").query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void withoutTrafficHealthProbesTheStoreAndADeadStoreIsDown() {
        DataSource ds = WebhookTestKit.h2();
        AtomicInteger down = new AtomicInteger(1);
        DataSource maybeDown = new DelegatingDataSource(ds) {
            @Override
            public Connection getConnection() throws SQLException {
                if (down.get() == 1) {
                    throw new SQLException("the database refuses connections");
                }
                return super.getConnection();
            }
        };
        WebhookStoreHealth health = new WebhookStoreHealth(writer(maybeDown, null), Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(10));
        assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
        down.set(0);
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }
}
