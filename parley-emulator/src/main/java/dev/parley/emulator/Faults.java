package dev.parley.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fault injection for Graph API requests: a share of requests (globally or for one phone number) or the next N
 * requests fail in a chosen way. Share-based faults draw from a seeded {@link Random}, so a run is repeatable.
 * Thread-safe; every method returns this for chaining.
 */
public final class Faults {

    /** How a faulty request fails. */
    public enum Kind {
        /** HTTP 500, Meta error code 1 ("An unknown error occurred"). */
        SERVER_ERROR,
        /** HTTP 500, Meta error code 2 (temporary downtime or overload, is_transient). */
        TEMPORARY_ERROR,
        /** HTTP 503 with a code 2 body. */
        SERVICE_UNAVAILABLE,
        /** HTTP 429, Meta error 130429 (throughput reached). */
        THROUGHPUT,
        /** The request is held for {@link #holdFor} and then the connection is closed without an answer; nothing happens. */
        TIMEOUT,
        /** The request is held for {@link #holdFor} and then processed normally: it takes effect, but late. */
        SLOW,
        /** The connection is closed at once without any HTTP response; nothing happens. */
        DROP_CONNECTION;

        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("unknown fault kind '" + s + "', expected one of "
                        + java.util.Arrays.toString(values()));
            }
        }
    }

    private record ShareRule(Kind kind, double share, String phoneNumberId) {}

    private record NextRule(Kind kind, String phoneNumberId) {}

    private final List<ShareRule> shares = new ArrayList<>();
    private final Deque<NextRule> next = new ArrayDeque<>();
    private Random random;
    private Duration hold = Duration.ofSeconds(30);
    private final long initialSeed;

    Faults(long seed) {
        this.initialSeed = seed;
        this.random = new Random(seed);
    }

    /** Reseeds the random generator of share-based faults. */
    public synchronized Faults seed(long seed) {
        random = new Random(seed);
        return this;
    }

    /** A share (0..1) of all Graph requests fails with {@code kind}. */
    public Faults share(Kind kind, double share) {
        return share(kind, share, null);
    }

    /** A share (0..1) of the Graph requests addressed to {@code phoneNumberId} (null = all) fails with {@code kind}. */
    public synchronized Faults share(Kind kind, double share, String phoneNumberId) {
        if (kind == null) throw new IllegalArgumentException("fault kind is required");
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("share must be between 0 and 1, was " + share);
        shares.add(new ShareRule(kind, share, phoneNumberId));
        return this;
    }

    /** The next {@code n} Graph requests fail with {@code kind}, whatever they are. */
    public Faults failNext(int n, Kind kind) {
        return failNext(n, kind, null);
    }

    /** The next {@code n} Graph requests addressed to {@code phoneNumberId} (null = any) fail with {@code kind}. */
    public synchronized Faults failNext(int n, Kind kind, String phoneNumberId) {
        if (kind == null) throw new IllegalArgumentException("fault kind is required");
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, was " + n);
        for (int i = 0; i < n; i++) next.add(new NextRule(kind, phoneNumberId));
        return this;
    }

    /** How long TIMEOUT and SLOW hold a request (default 30 s; set it above your client's timeout). */
    public synchronized Faults holdFor(Duration d) {
        if (d == null || d.isNegative()) throw new IllegalArgumentException("hold duration must be >= 0");
        hold = d;
        return this;
    }

    /** Removes every fault rule and restores the initial seed and the 30 s hold. */
    public synchronized Faults clear() {
        shares.clear();
        next.clear();
        random = new Random(initialSeed);
        hold = Duration.ofSeconds(30);
        return this;
    }

    synchronized Duration hold() {
        return hold;
    }

    /** Picks the fault for one request, or null. {@code phoneNumberId} is the number the request addresses, if any. */
    synchronized Kind pick(String phoneNumberId) {
        for (Iterator<NextRule> it = next.iterator(); it.hasNext(); ) {
            NextRule r = it.next();
            if (r.phoneNumberId() == null || r.phoneNumberId().equals(phoneNumberId)) {
                it.remove();
                return r.kind();
            }
        }
        for (ShareRule r : shares) {
            if (r.phoneNumberId() != null && !r.phoneNumberId().equals(phoneNumberId)) continue;
            if (random.nextDouble() < r.share()) return r.kind();
        }
        return null;
    }

    synchronized String describe() {
        return "shares=" + shares + ", next=" + next.size() + ", hold=" + hold;
    }
}
