package dev.parley.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Drives N keep-alive connections, each on its own thread, either flat out (each connection sends its next
 * request as soon as the previous answer arrived) or at a fixed arrival rate. At a fixed rate, request i is due at
 * {@code start + i / rate}; its latency is measured from that intended time, not from when a connection got round
 * to sending it, so a stalled server is charged for every request that queued behind the stall (no coordinated
 * omission). A warm-up runs first and is excluded from the histogram (its deliveries are still checked).
 */
final class LoadRun {

    /** What one thread sends: a request, and a callback for its answer. */
    interface Source {
        byte[] prepare();

        void answered(int status);

        void failed();
    }

    record Result(String label, double seconds, long ok, long items, Map<String, Long> errors, Histogram latency,
                  long reconnects, double targetRate) {
        double throughput() {
            return ok / seconds;
        }

        double itemRate() {
            return items / seconds;
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        String summary() {
            return String.format("%s: %.0f ok/s (%.0f items/s)%s over %.1f s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms,"
                            + " max %.2f ms, errors %d %s, reconnects %d", label, throughput(), itemRate(),
                    targetRate > 0 ? String.format(" at a target of %.0f/s", targetRate) : "", seconds,
                    ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
                    ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()), errorCount(), errors,
                    reconnects);
        }

        String resultLine() {
            return String.format("RESULT label=%s mode=%s throughput=%.0f items_per_s=%.0f p50_ms=%.2f p99_ms=%.2f"
                            + " p999_ms=%.2f max_ms=%.2f errors=%d seconds=%.1f", label,
                    targetRate > 0 ? "rate" + (long) targetRate : "flat", throughput(), itemRate(),
                    ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
                    ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()), errorCount(), seconds);
        }
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /**
     * @param rate requests per second, or 0 for flat out
     */
    static Result run(String label, String host, int port, int connections, double rate, long warmupNanos,
                      long durationNanos, IntFunction<Source> sources, ItemCounter items) throws InterruptedException {
        Recorder recorder = new Recorder(3_600_000_000_000L, 3);
        AtomicLong seq = new AtomicLong();
        LongAdder ok = new LongAdder();
        LongAdder okItems = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        AtomicLong reconnects = new AtomicLong();
        long start = System.nanoTime() + 50_000_000L;
        long measureFrom = start + warmupNanos;
        long end = measureFrom + durationNanos;
        double period = rate > 0 ? 1e9 / rate : 0;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Source source = sources.apply(c);
            Thread t = new Thread(() -> {
                try (RawHttp http = new RawHttp(host, port)) {
                    while (true) {
                        byte[] request = source.prepare();
                        long intended;
                        if (period > 0) {
                            intended = start + (long) (seq.getAndIncrement() * period);
                            if (intended >= end) {
                                break;
                            }
                            long wait;
                            while ((wait = intended - System.nanoTime()) > 0) {
                                LockSupport.parkNanos(wait);
                            }
                        } else {
                            intended = System.nanoTime();
                            if (intended >= end) {
                                break;
                            }
                        }
                        int status;
                        try {
                            status = http.exchange(request);
                        } catch (IOException e) {
                            source.failed();
                            if (intended >= measureFrom) {
                                errors.computeIfAbsent("io:" + e.getClass().getSimpleName(), k -> new LongAdder())
                                        .increment();
                            }
                            continue;
                        }
                        long done = System.nanoTime();
                        source.answered(status);
                        if (intended >= measureFrom) {
                            recorder.recordValue(Math.max(0, done - intended));
                            if (status == 200) {
                                ok.increment();
                                okItems.add(items.lastItems(source));
                            } else {
                                errors.computeIfAbsent("http:" + status, k -> new LongAdder()).increment();
                            }
                        }
                    }
                    reconnects.addAndGet(http.reconnects);
                }
            }, "load-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (Math.max(System.nanoTime(), end) - measureFrom) / 1e9;
        if (period > 0) {
            seconds = durationNanos / 1e9;
        }
        Histogram h = recorder.getIntervalHistogram();
        Map<String, Long> errs = new TreeMap<>();
        errors.forEach((k, v) -> errs.put(k, v.sum()));
        return new Result(label, seconds, ok.sum(), okItems.sum(), errs, h, reconnects.get() - connections, rate);
    }

    /** How many items (messages and statuses) the last request of a source carried. */
    interface ItemCounter {
        int lastItems(Source source);
    }
}
