package dev.parley.server.webhook;

import dev.parley.cloudapi.signature.WebhookSignature;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-input fault drill (docs/drills.md; {@code parley-bench/drills/bad-input.sh} runs it with 10,000): a
 * thousand generated deliveries - truncated and malformed JSON, wrong types, deeply nested and huge bodies, bodies
 * over the limit, bad UTF-8 and escapes, wrong, missing and malformed signatures, correctly signed garbage - never
 * get a 5xx, never become a message, and each is answered 4xx or kept as unparseable (or unrouted) in the log.
 */
abstract class BadInputContract extends ApiTestBase {

    static final int COUNT = 1000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Every outcome a bad delivery may end with ({@code processed}: valid JSON, checked by the message count). */
    private static final List<String> ALLOWED = List.of("unparseable", "unrouted", "bad_signature", "no_app_secret",
            "too_large", "malformed", "signature_mismatch", "processed");

    record Target(String orgToken, String phoneNumberId, String wabaId, String appSecret, String url) {
    }

    Target integration() {
        TestOrg org = newOrg();
        Map<String, Object> b = new LinkedHashMap<>();
        String pn = metaId();
        String waba = metaId();
        String secret = "secret-" + metaId();
        b.put("name", "Bad input");
        b.put("app_id", metaId());
        b.put("app_secret", secret);
        b.put("waba_id", waba);
        b.put("phone_number_id", pn);
        b.put("access_token", "EAAG-" + metaId());
        b.put("graph_base_url", "http://127.0.0.1:9");
        return new Target(org.ownerToken(), pn, waba, secret, ownWebhookUrl(webhookToken(createIntegration(org, b))));
    }

    /** One generated bad delivery: what kind, the bytes, the signature header (null: none), the URL. */
    record Bad(String kind, byte[] body, String signature, String url) {
    }

    static byte[] good(Target t, Random rnd) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + t.wabaId() + "\",\"changes\":[{"
                + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
                + "\"display_phone_number\":\"15550001111\",\"phone_number_id\":\"" + t.phoneNumberId() + "\"},"
                + "\"messages\":[{\"from\":\"15550009999\",\"id\":\"wamid.bad-" + rnd.nextLong() + "\","
                + "\"timestamp\":\"1700000000\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The generator: the same kinds as drill.py's, huge bodies rarer so that CI stays quick. */
    static Bad generate(Target t, String globalUrl, Random rnd) {
        String url = rnd.nextInt(10) < 7 ? t.url() : globalUrl;
        String secret = t.appSecret();
        int k = rnd.nextInt(100);
        byte[] body;
        String kind;
        String sig = "good";
        if (k < 12) {
            byte[] g = good(t, rnd);
            kind = "truncated_json";
            body = java.util.Arrays.copyOf(g, 1 + rnd.nextInt(g.length - 1));
            sig = rnd.nextBoolean() ? "good" : "none";
        } else if (k < 24) {
            kind = "wrong_types";
            String[] shapes = {
                    "{\"object\":1,\"entry\":\"x\"}", "{\"object\":\"whatsapp_business_account\",\"entry\":{\"a\":1}}",
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[1,\"two\",null,true]}",
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":5,\"changes\":\"nope\"}]}",
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + t.wabaId() + "\",\"changes\":"
                            + "[{\"field\":7,\"value\":[]}]}]}",
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + t.wabaId() + "\",\"changes\":"
                            + "[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\""
                            + t.phoneNumberId() + "\"},\"messages\":[{\"id\":12,\"from\":[],\"timestamp\":{},"
                            + "\"type\":3,\"text\":\"flat\"}]}}]}]}",
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + t.wabaId() + "\",\"changes\":"
                            + "[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\""
                            + t.phoneNumberId() + "\"},\"statuses\":[{\"id\":null,\"status\":9,\"timestamp\":\"soon\","
                            + "\"errors\":\"x\"}]}}]}]}",
                    "[]", "\"string\"", "12", "null", "true"};
            int shape = rnd.nextInt(shapes.length);
            body = ascii(shapes[shape]);
            if (shape == 5) {
                // a message with a numeric id and no 'from': stored (wa_id "unknown") by messaging's "nothing is
                // dropped" rule - once, as wamid "12" (see docs/drills.md)
                kind = "wrong_types_message";
            }
        } else if (k < 34) {
            kind = "deeply_nested";
            int depth = new int[]{100, 1000, 5000, 50000}[rnd.nextInt(4)];
            body = ascii(rnd.nextBoolean() ? "{\"entry\":".repeat(depth) + "1" + "}".repeat(depth)
                    : "[".repeat(depth) + "]".repeat(depth));
        } else if (k < 36) {
            kind = "huge";
            body = ascii("{\"object\":\"whatsapp_business_account\",\"entry\":[],\"pad\":\""
                    + "a".repeat(new int[]{200_000, 1_000_000, 2_900_000}[rnd.nextInt(3)]) + "\"}");
        } else if (k < 38) {
            kind = "too_large";
            body = ascii("{\"pad\":\"" + "b".repeat(3_200_000) + "\"}");
            sig = rnd.nextBoolean() ? "good" : "none";
        } else if (k < 48) {
            kind = "bad_utf8";
            byte[] g = good(t, rnd);
            int i = new String(g, StandardCharsets.ISO_8859_1).indexOf("\"hi\"") + 1;
            byte[][] bad = {{(byte) 0xff, (byte) 0xfe}, {(byte) 0xc3, 0x28}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                    {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {0}};
            body = concat(java.util.Arrays.copyOf(g, i), bad[rnd.nextInt(bad.length)],
                    java.util.Arrays.copyOfRange(g, i, g.length));
        } else if (k < 54) {
            // valid JSON (RFC 8259 allows any \\uXXXX escape): Meta could send it, so it is a message like any other
            kind = "lone_surrogates";
            String[] esc = {"\"\\ud800\"", "\"\\udfff\\ud800x\""};
            body = ascii(new String(good(t, rnd), StandardCharsets.ISO_8859_1)
                    .replace("\"hi\"", esc[rnd.nextInt(esc.length)]));
        } else if (k < 58) {
            kind = "bad_escapes";
            String[] esc = {"\"\\u00\"", "\"\\x41\"", "\"\\uZZZZ\""};
            body = ascii(new String(good(t, rnd), StandardCharsets.ISO_8859_1)
                    .replace("\"hi\"", esc[rnd.nextInt(esc.length)]));
        } else if (k < 70) {
            kind = "wrong_signature";
            body = good(t, rnd);
            sig = new String[]{"wrong", "none", "malformed", "sha1"}[rnd.nextInt(4)];
        } else if (k < 80) {
            kind = "signed_garbage";
            body = new byte[1 + rnd.nextInt(2000)];
            rnd.nextBytes(body);
        } else if (k < 85) {
            kind = "empty";
            body = new byte[0];
            sig = rnd.nextBoolean() ? "good" : "none";
        } else if (k < 93) {
            kind = "not_json";
            String[] s = {"<xml/>", "hello", "object=whatsapp", "{\"a\":1}{", "NaN", "{'a':1}"};
            body = ascii(s[rnd.nextInt(s.length)]);
        } else {
            kind = "unknown_number";
            body = ascii("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
                    + "\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\""
                    + Math.abs(rnd.nextLong() % 1_000_000_000_000_000L) + "\"},\"messages\":[{\"id\":\"wamid.x\","
                    + "\"type\":\"text\"}]}}]}]}");
        }
        String header = switch (sig) {
            case "good" -> WebhookSignature.sign(body, secret);
            case "wrong" -> WebhookSignature.sign(body, "not-the-secret");
            case "malformed" -> "sha256=zz" + "0".repeat(62);
            case "sha1" -> "sha1=" + "0".repeat(40);
            default -> null;
        };
        return new Bad(kind, body, header, url);
    }

    int post(Bad bad) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bad.url()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bad.body()))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60));
        if (bad.signature() != null) {
            b.header(WebhookSignature.HEADER, bad.signature());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    List<JsonNode> events(Target t) {
        List<JsonNode> out = new ArrayList<>();
        String before = null;
        do {
            JsonNode page = get("/api/v1/webhook-events?limit=200" + (before == null ? "" : "&before=" + before),
                    t.orgToken()).json();
            page.get("data").forEach(out::add);
            before = page.path("next_before").isNull() || page.path("next_before").isMissingNode() ? null
                    : page.get("next_before").asString();
        } while (before != null);
        return out;
    }

    @Test
    void aThousandBadDeliveriesGetNo5xxChangeNothingAndAreAnswered4xxOrKeptAsUnparseable() throws Exception {
        Target t = integration();
        String global = "http://127.0.0.1:" + port + "/webhooks/whatsapp";
        Random rnd = new Random(6);
        List<Bad> bads = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            bads.add(generate(t, global, rnd));
        }
        Map<String, Integer> byStatus = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        int okOnOwnUrl = 0;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (Bad bad : bads) {
                answers.add(pool.submit(() -> post(bad)));
            }
            for (int i = 0; i < bads.size(); i++) {
                int status = answers.get(i).get();
                Bad bad = bads.get(i);
                byStatus.merge(bad.kind() + ":" + status, 1, Integer::sum);
                if (status >= 500) {
                    serverErrors.add(bad.kind() + " -> " + status);
                }
                if (status == 200 && bad.url().equals(t.url())) {
                    okOnOwnUrl++;
                }
                assertThat(status).as(bad.kind()).isIn(200, 400, 403, 413, 415, 429);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(serverErrors).as(byStatus.toString()).isEmpty();
        assertThat(get("/actuator/health", null).status()).isEqualTo(200);

        // every 200 on the integration's URL is in its log and ends unparseable or unrouted - or, for bodies that
        // are valid JSON with entries of the wrong types, processed with nothing in them; never a message, except
        // the lone-surrogate ones (valid JSON)
        int expectedStored = okOnOwnUrl;
        List<JsonNode> events = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> events(t), l -> l.stream().noneMatch(e -> e.get("outcome").asString().equals("queued"))
                        && l.stream().filter(e -> e.get("http_status").asInt() == 200
                        && e.get("via").asString().equals("integration")).count() == expectedStored);
        assertThat(events).allSatisfy(e -> assertThat(e.get("outcome").asString()).as(e.toString())
                .isIn(ALLOWED));
        int lone = byStatus.entrySet().stream().filter(en -> en.getKey().equals("lone_surrogates:200"))
                .mapToInt(Map.Entry::getValue).sum();
        int stored = 0;
        for (JsonNode c : get("/api/v1/conversations?limit=200", t.orgToken()).json().get("data")) {
            stored += get("/api/v1/conversations/" + c.get("id").asString() + "/messages?limit=200", t.orgToken())
                    .json().get("data").size();
        }
        int wrongTypesMessage = byStatus.getOrDefault("wrong_types_message:200", 0) > 0 ? 1 : 0;
        assertThat(stored).as("only the lone-surrogate deliveries (and the one wrong-types message) became messages")
                .isEqualTo(lone + wrongTypesMessage);
    }
}
