package dev.parley.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ControlApiAndMainTest extends EmulatorTestBase {

    private HttpResponse<String> control(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emu.baseUrl() + path));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(b.build());
    }

    @Test
    void cliStartsWithTheContractsSeedingOptionsAndSubscribes() throws Exception {
        hook = new WebhookReceiver("vt-123");
        String[] args = {"--port", "0", "--app-id", "555000000000001", "--app-secret", "cli-secret",
                "--access-token", "cli-token", "--waba-id", "555000000000002", "--phone-number-id", "555000000000003",
                "--display-phone-number", "15557654321", "--verified-name", "Cli Shop",
                "--webhook-url", hook.url(), "--verify-token", "vt-123", "--handshake-retry-ms", "50",
                "--status-delays-ms", "10,20,30", "--throughput", "100"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        emu = EmulatorMain.run(EmulatorMain.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8));
        biz = new SeededBusiness("555000000000001", "cli-secret", "cli-token", "555000000000002", "555000000000003",
                "15557654321", "Cli Shop", null);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains(emu.baseUrl()).contains("555000000000003").contains("cli-token");
        await().atMost(Duration.ofSeconds(5)).until(() -> emu.webhookVerified("555000000000001"));
        JsonNode pn = json(get("555000000000003"));
        assertThat(pn.path("verified_name").asString()).isEqualTo("Cli Shop");
        assertThat(pn.path("display_phone_number").asString()).isEqualTo("15557654321");
        assertThat(json(get("555000000000002/message_templates")).path("data").get(0).path("name").asString()).isEqualTo("hello_world");

        // the CONTRACT's inbound example
        var in = control("POST", "/_emulator/inbound", "{\"phone_number_id\": \"555000000000003\", \"from\": \"15551234567\","
                + " \"name\": \"Ana\", \"message\": {\"type\": \"text\", \"text\": {\"body\": \"hi\"}}}");
        assertThat(in.statusCode()).isEqualTo(202);
        String wamid = json(in).path("wamid").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> deliveredMessages().size() == 1);
        assertThat(deliveredMessages().get(0).path("id").asString()).isEqualTo(wamid);

        var r = sendText(CUSTOMER, "hello back");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode sent = json(control("GET", "/_emulator/sent?phone_number_id=555000000000003", null));
        JsonNode first = sent.path("data").get(0);
        assertThat(first.path("wamid").asString()).isEqualTo(wamidOf(r));
        assertThat(first.path("to").asString()).isEqualTo(CUSTOMER);
        assertThat(first.path("type").asString()).isEqualTo("text");
        assertThat(first.path("request").path("text").path("body").asString()).isEqualTo("hello back");
        assertThat(first.path("status").asString()).isIn("accepted", "sent", "delivered", "read");
    }

    @Test
    void cliRejectsUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--bogus", "1"})).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--port"})).hasMessageContaining("--port needs a value");
        assertThat(EmulatorMain.parse(new String[] {"--help"})).containsKey("help");
        assertThatThrownBy(() -> EmulatorMain.run(EmulatorMain.parse(new String[] {"--port", "0", "--webhook-url", "http://x"}),
                System.out)).hasMessageContaining("webhookUrl and verifyToken go together");
    }

    @Test
    void controlApiSeedsSubscribesSetsFaultsAndCustomersAndResets() throws Exception {
        emu = CloudApiEmulator.start(fastOptions().build());
        hook = new WebhookReceiver("v");
        var seeded = control("POST", "/_emulator/seed", "{\"app_id\":\"300000000000001\",\"app_secret\":\"s3\","
                + "\"access_token\":\"t3\",\"waba_id\":\"300000000000002\",\"phone_number_id\":\"300000000000003\","
                + "\"display_phone_number\":\"15550000003\",\"verified_name\":\"Three\"}");
        assertThat(seeded.statusCode()).isEqualTo(201);
        biz = new SeededBusiness("300000000000001", "s3", "t3", "300000000000002", "300000000000003", "15550000003", "Three", null);
        assertThat(control("POST", "/_emulator/subscribe", "{\"waba_id\":\"300000000000002\",\"callback_url\":\"" + hook.url()
                + "\",\"verify_token\":\"v\"}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> emu.webhookVerified("300000000000001"));

        assertThat(control("POST", "/_emulator/faults", "{\"kind\":\"server_error\",\"next\":1}").statusCode()).isEqualTo(200);
        assertThat(get("300000000000003").statusCode()).isEqualTo(500);
        assertThat(get("300000000000003").statusCode()).isEqualTo(200);

        control("POST", "/_emulator/customers", "{\"wa_id\":\"15550001111\",\"on_whatsapp\":false}");
        var r = post("300000000000003/messages", "{\"messaging_product\":\"whatsapp\",\"to\":\"15550001111\",\"type\":\"template\","
                + "\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}");
        assertThat(awaitStatus(wamidOf(r), "failed").path("errors").get(0).path("code").asInt()).isEqualTo(131026);

        var tpl = control("POST", "/_emulator/templates", "{\"waba_id\":\"300000000000002\",\"name\":\"promo\",\"language\":\"en_US\","
                + "\"category\":\"MARKETING\",\"status\":\"PENDING\",\"components\":[{\"type\":\"BODY\",\"text\":\"Sale\"}]}");
        assertThat(tpl.statusCode()).isEqualTo(201);
        assertThat(control("POST", "/_emulator/templates/status", "{\"waba_id\":\"300000000000002\",\"name\":\"promo\","
                + "\"language\":\"en_US\",\"status\":\"REJECTED\",\"reason\":\"PROMOTIONAL\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> hook.posts.stream().anyMatch(p -> p.text().contains("PROMOTIONAL")));

        JsonNode log = json(control("GET", "/_emulator/deliveries", null));
        assertThat(log.path("data").size()).isGreaterThan(1);
        assertThat(control("POST", "/_emulator/inbound", "{\"phone_number_id\":\"999\",\"from\":\"1555\",\"message\":"
                + "{\"type\":\"text\",\"text\":{\"body\":\"x\"}}}").statusCode()).isEqualTo(404);
        var badJson = control("POST", "/_emulator/inbound", "{nope");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).path("error").path("code").asString()).isEqualTo("invalid_json");

        assertThat(control("POST", "/_emulator/reset", "").statusCode()).isEqualTo(200);
        assertThat(errorCode(get("300000000000003"))).isEqualTo(190);   // token gone with everything else
    }
}
