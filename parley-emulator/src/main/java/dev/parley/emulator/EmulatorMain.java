package dev.parley.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Command line: {@code java -jar parley-emulator.jar --port 9090 [options]}; see {@code --help}. */
public final class EmulatorMain {
    private EmulatorMain() {}

    static final String HELP = String.join("\n",
            "parley-emulator: Meta's WhatsApp Cloud API on localhost",
            "",
            "usage: java -jar parley-emulator.jar [options]",
            "",
            "server:",
            "  --port N                     HTTP port (default 9090; 0 = a free port)",
            "  --host H                     bind address (default 127.0.0.1)",
            "  --threads N                  HTTP handler threads (default 32)",
            "seeded business (created at start; defaults shown):",
            "  --app-id ID                  100000000000001",
            "  --app-secret S               emulator-app-secret",
            "  --access-token T             EAAG-emulator-access-token",
            "  --waba-id ID                 100000000000002",
            "  --phone-number-id ID         100000000000003",
            "  --display-phone-number N     15550000001",
            "  --verified-name NAME         Parley Sandbox",
            "  --webhook-url URL            subscribe the app to this callback (handshake retried until it succeeds)",
            "  --verify-token V             verify token of the handshake (required with --webhook-url)",
            "  --no-seed                    start empty (seed later with POST /_emulator/seed)",
            "behaviour:",
            "  --throughput N               messages per second per number before 130429 (default 80)",
            "  --pair-rate-limit N          messages to one recipient per --pair-rate-window before 131056 (default 0 = off)",
            "  --pair-rate-window-ms MS     default 6000",
            "  --retry-time-scale X         multiplier on the 7-day webhook retry schedule (default 1.0)",
            "  --batch-window-ms MS         webhook batching window (default 20)",
            "  --max-updates-per-post N     default 1000",
            "  --status-delays-ms S,D,R     delays to sent, delivered, read (default 50,100,150)",
            "  --no-auto-read               customers never read automatically (use POST /_emulator/read)",
            "  --handshake-retry-ms MS      pause between failed handshakes (default 2000)",
            "  --webhook-timeout-ms MS      timeout of one webhook request (default 10000)",
            "  --media-url-ttl-s S          lifetime of media download URLs (default 300)",
            "  --auto-approve-templates-ms MS  approve new templates after MS (default: manual, via control API)",
            "  --fault-seed N               seed of share-based faults (default 42)",
            "  --help                       this text");

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> a;
        try {
            a = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("try --help");
            System.exit(2);
            return;
        }
        if (a.containsKey("help")) {
            System.out.println(HELP);
            return;
        }
        CloudApiEmulator emu;
        try {
            emu = run(a, System.out);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emu.close();
            stop.countDown();
        }));
        stop.await();
    }

    /** Starts an emulator from parsed options and prints what it seeded; used by {@link #main} and tests. */
    static CloudApiEmulator run(Map<String, String> a, PrintStream out) {
        EmulatorOptions.Builder o = EmulatorOptions.builder();
        o.port(intOpt(a, "port", 9090));
        if (a.containsKey("host")) o.host(a.get("host"));
        if (a.containsKey("threads")) o.serverThreads(intOpt(a, "threads", 32));
        if (a.containsKey("throughput")) o.throughputPerSecond(intOpt(a, "throughput", 80));
        if (a.containsKey("pair-rate-limit")) o.pairRateLimit(intOpt(a, "pair-rate-limit", 0));
        if (a.containsKey("pair-rate-window-ms")) o.pairRateWindow(ms(a, "pair-rate-window-ms"));
        if (a.containsKey("retry-time-scale")) {
            try {
                o.retryTimeScale(Double.parseDouble(a.get("retry-time-scale")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--retry-time-scale must be a number");
            }
        }
        if (a.containsKey("batch-window-ms")) o.batchWindow(ms(a, "batch-window-ms"));
        if (a.containsKey("max-updates-per-post")) o.maxUpdatesPerPost(intOpt(a, "max-updates-per-post", 1000));
        if (a.containsKey("status-delays-ms")) {
            String[] p = a.get("status-delays-ms").split(",");
            if (p.length != 3) throw new IllegalArgumentException("--status-delays-ms takes three numbers: sent,delivered,read");
            o.statusDelays(Duration.ofMillis(num(p[0], "status-delays-ms")), Duration.ofMillis(num(p[1], "status-delays-ms")),
                    Duration.ofMillis(num(p[2], "status-delays-ms")));
        }
        if (a.containsKey("no-auto-read")) o.autoRead(false);
        if (a.containsKey("handshake-retry-ms")) o.handshakeRetryInterval(ms(a, "handshake-retry-ms"));
        if (a.containsKey("webhook-timeout-ms")) o.webhookTimeout(ms(a, "webhook-timeout-ms"));
        if (a.containsKey("media-url-ttl-s")) o.mediaUrlTtl(Duration.ofSeconds(num(a.get("media-url-ttl-s"), "media-url-ttl-s")));
        if (a.containsKey("auto-approve-templates-ms")) o.templateReviewDelay(ms(a, "auto-approve-templates-ms"));
        if (a.containsKey("fault-seed")) o.faultSeed(num(a.get("fault-seed"), "fault-seed"));
        EmulatorOptions options = o.build();

        Seed seed = null;
        if (!a.containsKey("no-seed")) {
            Seed.Builder s = Seed.builder();
            if (a.containsKey("app-id")) s.appId(a.get("app-id"));
            if (a.containsKey("app-secret")) s.appSecret(a.get("app-secret"));
            if (a.containsKey("access-token")) s.accessToken(a.get("access-token"));
            if (a.containsKey("waba-id")) s.wabaId(a.get("waba-id"));
            if (a.containsKey("phone-number-id")) s.phoneNumberId(a.get("phone-number-id"));
            if (a.containsKey("display-phone-number")) s.displayPhoneNumber(a.get("display-phone-number"));
            if (a.containsKey("verified-name")) s.verifiedName(a.get("verified-name"));
            if (a.containsKey("webhook-url")) s.webhookUrl(a.get("webhook-url"));
            if (a.containsKey("verify-token")) s.verifyToken(a.get("verify-token"));
            seed = s.build();
        }
        CloudApiEmulator emu = CloudApiEmulator.start(options);
        try {
            out.println("parley-emulator listening on " + emu.baseUrl() + " (Graph API: " + emu.baseUrl() + "/v25.0/...)");
            if (seed != null) {
                SeededBusiness b = emu.seedAtStartup(seed);
                out.println("seeded business:");
                out.println("  app_id               " + b.appId());
                out.println("  app_secret           " + b.appSecret());
                out.println("  access_token         " + b.accessToken());
                out.println("  waba_id              " + b.wabaId());
                out.println("  phone_number_id      " + b.phoneNumberId());
                out.println("  display_phone_number " + b.displayPhoneNumber());
                out.println("  verified_name        " + b.verifiedName());
                out.println("  template             hello_world (en_US, APPROVED)");
                out.println("  webhook              " + (seed.webhookUrl() == null ? "none (POST /_emulator/subscribe)"
                        : seed.webhookUrl() + " (handshake until it succeeds)"));
            }
            out.flush();
            return emu;
        } catch (RuntimeException e) {
            emu.close();
            throw e;
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            boolean flag = key.equals("help") || key.equals("no-seed") || key.equals("no-auto-read");
            if (!flag && value == null) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("--" + key + " needs a value");
                value = args[++i];
            }
            if (!HELP.contains("--" + key + " ") && !HELP.contains("--" + key + "\n") && !flag) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
            m.put(key, flag ? "true" : value);
        }
        return m;
    }

    private static int intOpt(Map<String, String> a, String key, int def) {
        return a.containsKey(key) ? (int) num(a.get(key), key) : def;
    }

    private static long num(String v, String key) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, was '" + v + "'");
        }
    }

    private static Duration ms(Map<String, String> a, String key) {
        return Duration.ofMillis(num(a.get(key), key));
    }
}
