package dev.parley.cloudapi.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.sun.net.httpserver.HttpServer;
import dev.parley.cloudapi.outbound.OutboundMessage;
import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.Seed;
import dev.parley.emulator.SeededBusiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Several tenants, with their own tokens and API versions, through clients derived from one another at once. */
class MultiTenantTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static CloudApiEmulator emu;
    static HttpServer webhooks;
    static final List<JsonNode> statuses = new CopyOnWriteArrayList<>();
    static SeededBusiness a;
    static SeededBusiness b;

    @BeforeAll
    static void start() throws IOException {
        webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhooks.createContext("/", ex -> {
            byte[] answer = new byte[0];
            if (ex.getRequestMethod().equals("GET")) {
                String q = ex.getRequestURI().getRawQuery();
                for (String kv : q.split("&")) {
                    if (kv.startsWith("hub.challenge=")) answer = kv.substring(14).getBytes(StandardCharsets.UTF_8);
                }
            } else {
                JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
                for (JsonNode entry : body.get("entry")) {
                    for (JsonNode change : entry.get("changes")) {
                        JsonNode st = change.get("value").get("statuses");
                        if (st != null) st.forEach(statuses::add);
                    }
                }
            }
            ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) ex.getResponseBody().write(answer);
            ex.close();
        });
        webhooks.start();
        String callback = "http://127.0.0.1:" + webhooks.getAddress().getPort() + "/hook";
        emu = CloudApiEmulator.start(EmulatorOptions.builder()
                .statusDelays(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(30)).build());
        a = emu.seed(Seed.builder().appId("610000000000001").accessToken("tok-tenant-a").wabaId("610000000000002")
                .phoneNumberId("610000000000003").displayPhoneNumber("15550006100").webhook(callback, "vt-a").build());
        b = emu.seed(Seed.builder().appId("620000000000001").accessToken("tok-tenant-b").wabaId("620000000000002")
                .phoneNumberId("620000000000003").displayPhoneNumber("15550006200").webhook(callback, "vt-b").build());
    }

    @AfterAll
    static void stop() {
        emu.close();
        webhooks.stop(0);
    }

    @Test
    void clientsDerivedFromOneAnotherKeepTheirOwnTokenVersionAndBaseUrl() {
        GraphClient base = GraphClient.builder().baseUrl(emu.baseUrl() + "/").accessToken("tok-tenant-a").build();
        GraphClient tenantB = base.withAccessToken("tok-tenant-b").withApiVersion("23.0");

        assertThat(base.apiVersion()).isEqualTo("v25.0");
        assertThat(base.baseUrl()).isEqualTo(emu.baseUrl());
        assertThat(tenantB.apiVersion()).isEqualTo("v23.0");
        assertThat(base.getPhoneNumber(a.phoneNumberId()).id()).isEqualTo(a.phoneNumberId());
        assertThat(tenantB.getPhoneNumber(b.phoneNumberId()).id()).isEqualTo(b.phoneNumberId());
        // each token only sees its own business: A's token cannot read B's number
        assertThatThrownBy(() -> base.getPhoneNumber(b.phoneNumberId()))
                .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.subcode()).isEqualTo(33));
        assertThatThrownBy(() -> base.withApiVersion("latest")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withBaseUrl("graph.facebook.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tenantsOnDifferentVersionsSendConcurrently() throws Exception {
        GraphClient shared = GraphClient.builder().baseUrl(emu.baseUrl()).accessToken("tok-tenant-a").build();
        Map<String, GraphClient> clients = Map.of(
                a.phoneNumberId(), shared.withApiVersion("v25.0"),
                b.phoneNumberId(), shared.withAccessToken("tok-tenant-b").withApiVersion("v23.0"));
        Map<String, String> versionOfWamid = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                for (Map.Entry<String, GraphClient> e : clients.entrySet()) {
                    String to = "1555700" + String.format("%04d", i);
                    emu.inbound(e.getKey(), to, "Customer " + i, "{\"type\":\"text\",\"text\":{\"body\":\"hello\"}}");
                    futures.add(pool.submit(() -> {
                        SendResult r = e.getValue().send(e.getKey(), OutboundMessage.text(to, "hi").build());
                        versionOfWamid.put(r.messageId(), e.getValue().apiVersion());
                    }));
                }
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }

        assertThat(emu.sent(a.phoneNumberId())).hasSize(10);
        assertThat(emu.sent(b.phoneNumberId())).hasSize(10);
        // the emulator, like Meta, adds `conversation` to statuses only below v24.0: each send used its own version
        await().atMost(Duration.ofSeconds(10)).until(() -> sentStatusesFor(versionOfWamid.keySet()).size() == 20);
        for (JsonNode st : sentStatusesFor(versionOfWamid.keySet())) {
            String version = versionOfWamid.get(st.get("id").asString());
            assertThat(st.has("conversation")).as("status of a %s send", version).isEqualTo(version.equals("v23.0"));
        }
        assertThat(URI.create(emu.baseUrl()).getHost()).isEqualTo("127.0.0.1");
    }

    private static List<JsonNode> sentStatusesFor(java.util.Set<String> wamids) {
        return statuses.stream().filter(s -> "sent".equals(s.get("status").asString()))
                .filter(s -> wamids.contains(s.get("id").asString())).toList();
    }
}
