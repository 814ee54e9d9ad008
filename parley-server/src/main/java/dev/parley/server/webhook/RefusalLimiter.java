package dev.parley.server.webhook;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate limit on refused or unverifiable webhook traffic (bad or missing signatures, no app secret, bodies too large,
 * deliveries for numbers no integration knows), per source address and URL, with Bucket4j token buckets in memory.
 * It is consulted only after a request has failed its checks, so validly signed deliveries never wait on it. Over
 * the limit, requests answer 429 and are not logged one by one.
 */
final class RefusalLimiter {

    /** Forget every bucket beyond this many keys (a flood from many addresses must not grow memory for ever). */
    private static final int MAX_KEYS = 10_000;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final long capacity;
    private final java.time.Duration refill;

    RefusalLimiter(WebhookSettings settings) {
        this.capacity = settings.badSignatureCapacity();
        this.refill = settings.badSignatureRefill();
    }

    /** True when this refused request may still be logged and answered normally; false: answer 429. */
    boolean tryAcquire(String source, String target) {
        String key = source + '|' + target;
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= MAX_KEYS) {
                buckets.clear();
            }
            bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, refill).build())
                    .build());
        }
        return bucket.tryConsume(1);
    }
}
