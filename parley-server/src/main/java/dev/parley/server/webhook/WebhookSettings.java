package dev.parley.server.webhook;

import java.time.Duration;

/**
 * The webhook feature's knobs ({@code parley.webhook.*}, see {@link WebhookConfig}).
 *
 * @param maxBodyBytes         largest POST body accepted; beyond it 413 (Meta sends at most 3 MB)
 * @param ackTimeout           how long a request waits for its delivery to be committed before answering 503
 * @param writerQueue          deliveries waiting for the group-commit writer; beyond it 503 at once
 * @param writerBatch          most deliveries committed in one transaction
 * @param retention            processed and refused deliveries older than this are deleted
 * @param unroutedRetention    deliveries no integration claimed are kept this long (Meta retries for 7 days)
 * @param badSignatureCapacity refused requests logged per source and URL before 429 (a burst)
 * @param badSignatureRefill   how long the burst takes to refill completely
 * @param processorBatch       deliveries claimed at a time by the processor
 * @param lease                how long a claimed delivery stays claimed (another node takes over after it)
 * @param pollInterval         how often the processor looks for work it was not told about (other nodes, retries)
 * @param maxAttempts          processing attempts before a delivery is given up as {@code failed}
 */
record WebhookSettings(long maxBodyBytes, Duration ackTimeout, int writerQueue, int writerBatch, Duration retention,
                       Duration unroutedRetention, long badSignatureCapacity, Duration badSignatureRefill,
                       int processorBatch, Duration lease, Duration pollInterval, int maxAttempts) {

    static WebhookSettings defaults() {
        return new WebhookSettings(3L * 1024 * 1024, Duration.ofSeconds(10), 20_000, 500, Duration.ofHours(24),
                Duration.ofDays(7), 30, Duration.ofMinutes(1), 50, Duration.ofSeconds(60), Duration.ofSeconds(1), 10);
    }
}
