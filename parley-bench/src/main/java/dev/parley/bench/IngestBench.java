package dev.parley.bench;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook ingest benchmark. Commands:
 * <pre>
 * ingest    --target parley|peer --url U [--token T] [--rate R] [--connections N] [--duration S] [--warmup S]
 *           [--integrations K] [--customers C] [--secret S (peer)] [--mix realistic|text] [--no-verify] [--label L]
 * handshake --url U --token T [--rate R] [--connections N] [--duration S] [--warmup S]
 * </pre>
 * Without {@code --rate} the run is flat out. Prints a human summary and one {@code RESULT ...} line per run (and a
 * {@code VERIFY ...} line after the exactly-once check) for scripts to collect.
 */
public final class IngestBench {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ingest|handshake --url http://127.0.0.1:8080 [options], see IngestBench");
            System.exit(2);
        }
        Map<String, String> o = options(args);
        String cmd = args[0];
        int code = switch (cmd) {
            case "ingest" -> ingest(o);
            case "handshake" -> handshake(o);
            default -> {
                System.err.println("unknown command " + cmd);
                yield 2;
            }
        };
        System.exit(code);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                o.put(key, args[++i]);
            } else {
                o.put(key, "true");
            }
        }
        return o;
    }

    private static long seconds(Map<String, String> o, String key, double dflt) {
        return (long) (Double.parseDouble(o.getOrDefault(key, String.valueOf(dflt))) * 1e9);
    }

    /** What one sending thread has seen answered: for the exactly-once check. */
    static final class Ledger implements LoadRun.Source {
        final Deliveries.Generator generator;
        Deliveries.Delivery current;
        final List<String> ackedWamids = new ArrayList<>();
        final List<String> otherWamids = new ArrayList<>();
        final long[] ackedDeliveries;
        final long[] ackedStatuses;
        final long[] ackedMessages;
        long otherDeliveries;

        Ledger(Deliveries.Generator generator, int targets) {
            this.generator = generator;
            this.ackedDeliveries = new long[targets];
            this.ackedStatuses = new long[targets];
            this.ackedMessages = new long[targets];
        }

        @Override
        public byte[] prepare() {
            current = generator.next();
            return current.request;
        }

        @Override
        public void answered(int status) {
            int t = current.target.index();
            if (status == 200) {
                ackedDeliveries[t]++;
                ackedStatuses[t] += current.statuses;
                ackedMessages[t] += current.messageWamids.length;
                ackedWamids.addAll(List.of(current.messageWamids));
            } else {
                failed();
            }
        }

        @Override
        public void failed() {
            otherDeliveries++;
            otherWamids.addAll(List.of(current.messageWamids));
        }
    }

    static int ingest(Map<String, String> o) throws Exception {
        String target = o.getOrDefault("target", "parley");
        URI url = URI.create(o.getOrDefault("url", "http://127.0.0.1:8080"));
        int k = Integer.parseInt(o.getOrDefault("integrations", "4"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "32"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "0"));
        String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36).toUpperCase()
                + ThreadLocalRandom.current().nextInt(100, 999);
        String label = o.getOrDefault("label", target + (rate > 0 ? "-rate" + (long) rate : "-flat"));
        List<Deliveries.Target> targets = new ArrayList<>();
        ParleyApi api = null;
        long peerBefore = 0;
        if (target.equals("parley")) {
            api = new ParleyApi(url.toString(), require(o, "token"));
            for (int i = 0; i < k; i++) {
                String phone = "7" + (100_000_000_000_000L + ThreadLocalRandom.current().nextLong(1L << 40));
                String waba = "6" + phone.substring(1);
                String secret = "bench-secret-" + UUID.randomUUID();
                JsonNode created = api.createIntegration("bench " + runId + " #" + i, secret, phone, waba);
                String path = URI.create(created.get("webhook_url").asString()).getRawPath();
                targets.add(new Deliveries.Target(i, path, phone, "1555" + phone.substring(9), waba, secret,
                        created.get("id").asString()));
            }
        } else {
            String secret = o.getOrDefault("secret", "peer-secret");
            for (int i = 0; i < k; i++) {
                String phone = "7" + (100_000_000_000_000L + i);
                targets.add(new Deliveries.Target(i, "/", phone, "1555" + phone.substring(9), "6" + phone.substring(1),
                        secret, null));
            }
            peerBefore = peerCount(url);
        }
        Deliveries deliveries = new Deliveries();
        int customers = Integer.parseInt(o.getOrDefault("customers", "25"));
        String host = url.getHost() + ":" + url.getPort();
        List<Ledger> ledgers = new ArrayList<>();
        LoadRun.Result result = LoadRun.run(label, url.getHost(), url.getPort(), connections, rate,
                seconds(o, "warmup", 5), seconds(o, "duration", 20), c -> {
                    Deliveries.Generator g = deliveries.new Generator(runId, c, targets, host, customers,
                            c * 7919L + 17);
                    g.textOnly = "text".equals(o.get("mix"));
                    Ledger l = new Ledger(g, targets.size());
                    synchronized (ledgers) {
                        ledgers.add(l);
                    }
                    return l;
                }, s -> ((Ledger) s).current.items());
        System.out.println(result.summary());
        System.out.println(result.resultLine());
        long acked = ledgers.stream().mapToLong(l -> sum(l.ackedDeliveries)).sum();
        long ackedItems = ledgers.stream().mapToLong(l -> sum(l.ackedStatuses) + sum(l.ackedMessages)).sum();
        long other = ledgers.stream().mapToLong(l -> l.otherDeliveries).sum();
        System.out.printf("sent %d deliveries in total (warm-up included): %d answered 200 carrying %d items, %d not%n",
                acked + other, acked, ackedItems, other);
        if (o.containsKey("no-verify")) {
            return 0;
        }
        if (api == null) {
            // whatsapp-api-js calls on.message / on.status once per POST (for the first item of the first change
            // only), so its count is the number of deliveries it parsed, not of items
            long handled = peerCount(url) - peerBefore;
            boolean ok = handled == acked;
            System.out.printf("VERIFY label=%s ok=%s peer_deliveries_handled=%d deliveries_acked=%d%n", label, ok,
                    handled, acked);
            return ok ? 0 : 1;
        }
        return verify(api, label, targets, ledgers, Long.parseLong(o.getOrDefault("verify-timeout", "900")));
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    private static String require(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    private static long peerCount(URI url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/count")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(r.body().trim());
    }

    private static final Pattern DETAIL = Pattern.compile(
            "messages (\\d+) \\((\\d+) new, (\\d+) duplicate\\), statuses (\\d+) \\((\\d+) applied, (\\d+) duplicate\\)");

    /**
     * The exactly-once check through the API: waits until every stored delivery of the run's integrations is
     * processed, then (1) each integration has exactly as many stored deliveries answered 200 as the tool saw 200s,
     * (2) every message wamid of a delivery answered 200 is listed exactly once in the conversations, and (3) the
     * statuses the processor counted equal the statuses acknowledged, none of them a duplicate.
     */
    static int verify(ParleyApi api, String label, List<Deliveries.Target> targets, List<Ledger> ledgers,
                      long timeoutSeconds) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutSeconds * 1_000_000_000L;
        long[] events = new long[targets.size()];
        long[] eventStatuses = new long[targets.size()];
        long[] eventMessages = new long[targets.size()];
        long[] newMessages = new long[targets.size()];
        long duplicates = 0;
        long notOk = 0;
        while (true) {
            long unfinished = 0;
            duplicates = 0;
            notOk = 0;
            for (Deliveries.Target t : targets) {
                long[] c = new long[7];
                api.pages("/api/v1/webhook-events?integration_id=" + t.integrationId(), e -> {
                    String state = e.path("state").asString("");
                    if (e.path("http_status").asInt() == 200) {
                        c[0]++;
                    } else {
                        c[5]++;
                    }
                    if (!state.equals("processed")) {
                        c[1]++;
                        return;
                    }
                    Matcher m = DETAIL.matcher(e.path("detail").asString(""));
                    if (m.find()) {
                        c[2] += Long.parseLong(m.group(1));
                        c[3] += Long.parseLong(m.group(2));
                        c[4] += Long.parseLong(m.group(4));
                        c[6] += Long.parseLong(m.group(3)) + Long.parseLong(m.group(6));
                    }
                });
                events[t.index()] = c[0];
                eventMessages[t.index()] = c[2];
                newMessages[t.index()] = c[3];
                eventStatuses[t.index()] = c[4];
                unfinished += c[1];
                notOk += c[5];
                duplicates += c[6];
            }
            if (unfinished == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf("VERIFY label=%s ok=false reason=%d deliveries still unprocessed after %d s%n", label,
                        unfinished, timeoutSeconds);
                return 1;
            }
            System.out.printf("waiting for processing: %d deliveries not processed yet%n", unfinished);
            Thread.sleep(3000);
        }
        double processedAfter = (System.nanoTime() - t0) / 1e9;
        boolean ok = true;
        StringBuilder problems = new StringBuilder();
        Map<String, Integer> expected = new HashMap<>();
        for (Ledger l : ledgers) {
            for (String w : l.ackedWamids) {
                expected.merge(w, 1, Integer::sum);
            }
        }
        for (Deliveries.Target t : targets) {
            long acked = ledgers.stream().mapToLong(l -> l.ackedDeliveries[t.index()]).sum();
            long ackedStatuses = ledgers.stream().mapToLong(l -> l.ackedStatuses[t.index()]).sum();
            if (events[t.index()] != acked) {
                ok = false;
                problems.append(String.format(" integration %d: %d stored deliveries answered 200, the tool saw %d;",
                        t.index(), events[t.index()], acked));
            }
            if (eventStatuses[t.index()] != ackedStatuses) {
                ok = false;
                problems.append(String.format(" integration %d: %d statuses processed, %d acknowledged;", t.index(),
                        eventStatuses[t.index()], ackedStatuses));
            }
        }
        // messages: every wamid answered 200 appears exactly once in the conversations
        Map<String, Integer> seen = new HashMap<>(expected.size() * 2);
        for (Deliveries.Target t : targets) {
            List<String> conversations = new ArrayList<>();
            api.pages("/api/v1/conversations?integration_id=" + t.integrationId(),
                    c -> conversations.add(c.get("id").asString()));
            for (String id : conversations) {
                api.pages("/api/v1/conversations/" + id + "/messages",
                        m -> seen.merge(m.path("wamid").asString(""), 1, Integer::sum));
            }
        }
        long lost = 0;
        long twice = 0;
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            int n = seen.getOrDefault(e.getKey(), 0);
            if (n == 0) {
                lost++;
            } else if (n > 1 || e.getValue() > 1) {
                twice++;
            }
        }
        java.util.Set<String> notAcked = new java.util.HashSet<>();
        ledgers.forEach(l -> notAcked.addAll(l.otherWamids));
        long unexpected = 0;
        long storedNotAcked = 0;
        for (String w : seen.keySet()) {
            if (!expected.containsKey(w)) {
                if (notAcked.contains(w)) {
                    storedNotAcked++;
                } else {
                    unexpected++;
                }
            }
        }
        if (lost > 0 || twice > 0 || unexpected > 0 || duplicates > 0) {
            ok = false;
        }
        long ackedMessages = expected.size();
        System.out.printf("VERIFY label=%s ok=%s deliveries_acked=%d deliveries_stored_200=%d messages_acked=%d"
                        + " messages_listed_once=%d lost=%d duplicated=%d unexpected=%d stored_not_acked=%d"
                        + " processor_duplicates=%d statuses_processed=%d refused_or_other_events=%d"
                        + " processed_within_s=%.0f%s%n", label, ok,
                ledgers.stream().mapToLong(l -> sum(l.ackedDeliveries)).sum(), sum(events), ackedMessages,
                ackedMessages - lost - twice, lost, twice, unexpected, storedNotAcked, duplicates,
                sum(eventStatuses), notOk, processedAfter, problems.length() == 0 ? "" : " problems:" + problems);
        return ok ? 0 : 1;
    }

    /** The verification handshake ({@code GET} with hub.mode, hub.verify_token, hub.challenge) at a fixed rate. */
    static int handshake(Map<String, String> o) throws Exception {
        URI url = URI.create(o.getOrDefault("url", "http://127.0.0.1:8080"));
        ParleyApi api = new ParleyApi(url.toString(), require(o, "token"));
        String phone = "7" + (100_000_000_000_000L + ThreadLocalRandom.current().nextLong(1L << 40));
        JsonNode created = api.createIntegration("bench handshake " + phone, "bench-secret-" + UUID.randomUUID(),
                phone, "6" + phone.substring(1));
        String path = URI.create(created.get("webhook_url").asString()).getRawPath();
        String verify = created.get("verify_token").asString();
        String host = url.getHost() + ":" + url.getPort();
        double rate = Double.parseDouble(o.getOrDefault("rate", "1000"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "8"));
        long[] failures = new long[1];
        LoadRun.Result r = LoadRun.run(o.getOrDefault("label", "handshake"), url.getHost(), url.getPort(),
                connections, rate, seconds(o, "warmup", 5), seconds(o, "duration", 20), c -> new LoadRun.Source() {
                    long n;

                    @Override
                    public byte[] prepare() {
                        return ("GET " + path + "?hub.mode=subscribe&hub.verify_token=" + verify + "&hub.challenge="
                                + (1_000_000 + c * 1_000_000L + n++) + " HTTP/1.1\r\nHost: " + host
                                + "\r\nUser-Agent: facebookplatform/1.0\r\nAccept: */*\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1);
                    }

                    @Override
                    public void answered(int status) {
                    }

                    @Override
                    public void failed() {
                        failures[0]++;
                    }
                }, s -> 0);
        System.out.println(r.summary());
        System.out.println(r.resultLine());
        return r.errorCount() == 0 ? 0 : 1;
    }
}
