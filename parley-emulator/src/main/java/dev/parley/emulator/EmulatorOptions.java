package dev.parley.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one emulator instance. Defaults mimic Meta (80 msg/s per number, the real webhook retry schedule)
 * with short status delays so tests see the whole sent → delivered → read progression quickly.
 *
 * @param host                  address to bind (127.0.0.1)
 * @param port                  port, 0 picks a free one
 * @param serverThreads         size of the bounded pool that runs HTTP handlers
 * @param throughputPerSecond   messages per second per phone number before 130429
 * @param pairRateLimit         messages to one recipient within {@code pairRateWindow} before 131056; 0 = off
 * @param pairRateWindow        window of the pair rate limit
 * @param retryTimeScale        multiplier on Meta's webhook retry schedule (1.0 = real, 0.001 for tests)
 * @param batchWindow           how long webhook updates are collected before a POST
 * @param maxUpdatesPerPost     most messages/statuses in one webhook POST (Meta: 1000)
 * @param sentDelay             delay from acceptance to the {@code sent} (or {@code failed}) status
 * @param deliveredDelay        delay from acceptance to {@code delivered}
 * @param readDelay             delay from acceptance to {@code read}
 * @param autoRead              whether simulated customers read every message automatically
 * @param handshakeRetryInterval pause between failed verification handshakes
 * @param webhookTimeout        request timeout of one webhook POST or handshake GET
 * @param mediaUrlTtl           lifetime of a media download URL (Meta: 5 minutes)
 * @param templateReviewDelay   when set, new templates are approved automatically after this delay; null = manual
 * @param faultSeed             seed of the random generator used by share-based faults
 * @param deliveryLogLimit      most webhook attempts kept in the delivery log
 * @param maxStoredMessagesPerNumber most accepted messages kept per phone number for {@code sent()}
 */
public record EmulatorOptions(
        String host,
        int port,
        int serverThreads,
        int throughputPerSecond,
        int pairRateLimit,
        Duration pairRateWindow,
        double retryTimeScale,
        Duration batchWindow,
        int maxUpdatesPerPost,
        Duration sentDelay,
        Duration deliveredDelay,
        Duration readDelay,
        boolean autoRead,
        Duration handshakeRetryInterval,
        Duration webhookTimeout,
        Duration mediaUrlTtl,
        Duration templateReviewDelay,
        long faultSeed,
        int deliveryLogLimit,
        int maxStoredMessagesPerNumber) {

    public EmulatorOptions {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (serverThreads < 1) throw new IllegalArgumentException("serverThreads must be >= 1");
        if (throughputPerSecond < 1) throw new IllegalArgumentException("throughputPerSecond must be >= 1");
        if (pairRateLimit < 0) throw new IllegalArgumentException("pairRateLimit must be >= 0 (0 = off)");
        if (!(retryTimeScale > 0)) throw new IllegalArgumentException("retryTimeScale must be > 0");
        if (maxUpdatesPerPost < 1) throw new IllegalArgumentException("maxUpdatesPerPost must be >= 1");
        requirePositive(pairRateWindow, "pairRateWindow");
        requireNonNegative(batchWindow, "batchWindow");
        requireNonNegative(sentDelay, "sentDelay");
        requireNonNegative(deliveredDelay, "deliveredDelay");
        requireNonNegative(readDelay, "readDelay");
        requirePositive(handshakeRetryInterval, "handshakeRetryInterval");
        requirePositive(webhookTimeout, "webhookTimeout");
        requirePositive(mediaUrlTtl, "mediaUrlTtl");
        if (templateReviewDelay != null) requireNonNegative(templateReviewDelay, "templateReviewDelay");
        if (deliveryLogLimit < 1) throw new IllegalArgumentException("deliveryLogLimit must be >= 1");
        if (maxStoredMessagesPerNumber < 1) throw new IllegalArgumentException("maxStoredMessagesPerNumber must be >= 1");
    }

    private static void requireNonNegative(Duration d, String name) {
        if (d == null || d.isNegative()) throw new IllegalArgumentException(name + " must be a duration >= 0");
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be a duration > 0");
    }

    /** The defaults: free port on 127.0.0.1, Meta's limits and schedule, 50/100/150 ms status delays. */
    public static EmulatorOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host; b.port = port; b.serverThreads = serverThreads; b.throughputPerSecond = throughputPerSecond;
        b.pairRateLimit = pairRateLimit; b.pairRateWindow = pairRateWindow; b.retryTimeScale = retryTimeScale;
        b.batchWindow = batchWindow; b.maxUpdatesPerPost = maxUpdatesPerPost; b.sentDelay = sentDelay;
        b.deliveredDelay = deliveredDelay; b.readDelay = readDelay; b.autoRead = autoRead;
        b.handshakeRetryInterval = handshakeRetryInterval; b.webhookTimeout = webhookTimeout; b.mediaUrlTtl = mediaUrlTtl;
        b.templateReviewDelay = templateReviewDelay; b.faultSeed = faultSeed; b.deliveryLogLimit = deliveryLogLimit;
        b.maxStoredMessagesPerNumber = maxStoredMessagesPerNumber;
        return b;
    }

    /** Mutable builder; every setter returns this. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private int serverThreads = 32;
        private int throughputPerSecond = 80;
        private int pairRateLimit = 0;
        private Duration pairRateWindow = Duration.ofSeconds(6);
        private double retryTimeScale = 1.0;
        private Duration batchWindow = Duration.ofMillis(20);
        private int maxUpdatesPerPost = 1000;
        private Duration sentDelay = Duration.ofMillis(50);
        private Duration deliveredDelay = Duration.ofMillis(100);
        private Duration readDelay = Duration.ofMillis(150);
        private boolean autoRead = true;
        private Duration handshakeRetryInterval = Duration.ofSeconds(2);
        private Duration webhookTimeout = Duration.ofSeconds(10);
        private Duration mediaUrlTtl = Duration.ofMinutes(5);
        private Duration templateReviewDelay = null;
        private long faultSeed = 42L;
        private int deliveryLogLimit = 10_000;
        private int maxStoredMessagesPerNumber = 100_000;

        private Builder() {}

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder serverThreads(int v) { serverThreads = v; return this; }
        public Builder throughputPerSecond(int v) { throughputPerSecond = v; return this; }
        public Builder pairRateLimit(int v) { pairRateLimit = v; return this; }
        public Builder pairRateWindow(Duration v) { pairRateWindow = v; return this; }
        public Builder retryTimeScale(double v) { retryTimeScale = v; return this; }
        public Builder batchWindow(Duration v) { batchWindow = v; return this; }
        public Builder maxUpdatesPerPost(int v) { maxUpdatesPerPost = v; return this; }
        public Builder sentDelay(Duration v) { sentDelay = v; return this; }
        public Builder deliveredDelay(Duration v) { deliveredDelay = v; return this; }
        public Builder readDelay(Duration v) { readDelay = v; return this; }
        /** Status delays in one call: sent, delivered, read (each from acceptance). */
        public Builder statusDelays(Duration sent, Duration delivered, Duration read) {
            sentDelay = sent; deliveredDelay = delivered; readDelay = read; return this;
        }
        public Builder autoRead(boolean v) { autoRead = v; return this; }
        public Builder handshakeRetryInterval(Duration v) { handshakeRetryInterval = v; return this; }
        public Builder webhookTimeout(Duration v) { webhookTimeout = v; return this; }
        public Builder mediaUrlTtl(Duration v) { mediaUrlTtl = v; return this; }
        public Builder templateReviewDelay(Duration v) { templateReviewDelay = v; return this; }
        public Builder faultSeed(long v) { faultSeed = v; return this; }
        public Builder deliveryLogLimit(int v) { deliveryLogLimit = v; return this; }
        public Builder maxStoredMessagesPerNumber(int v) { maxStoredMessagesPerNumber = v; return this; }

        public EmulatorOptions build() {
            return new EmulatorOptions(host, port, serverThreads, throughputPerSecond, pairRateLimit, pairRateWindow,
                    retryTimeScale, batchWindow, maxUpdatesPerPost, sentDelay, deliveredDelay, readDelay, autoRead,
                    handshakeRetryInterval, webhookTimeout, mediaUrlTtl, templateReviewDelay, faultSeed,
                    deliveryLogLimit, maxStoredMessagesPerNumber);
        }
    }
}
