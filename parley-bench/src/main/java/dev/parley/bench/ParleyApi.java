package dev.parley.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The few Parley API calls the benchmark needs (setup and the exactly-once check), over java.net.http. */
final class ParleyApi {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ParleyApi(String base, String token) {
        this.base = base;
        this.token = token;
    }

    JsonNode call(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates an integration with a known app secret and phone_number_id (no Graph call is needed for that). */
    JsonNode createIntegration(String name, String appSecret, String phoneNumberId, String wabaId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("app_id", "9" + phoneNumberId.substring(1));
        body.put("app_secret", appSecret);
        body.put("waba_id", wabaId);
        body.put("access_token", "EAAG-bench-" + phoneNumberId);
        body.put("phone_number_id", phoneNumberId);
        body.put("graph_base_url", "http://127.0.0.1:9");
        return call("POST", "/api/v1/channels/whatsapp/integrations", body);
    }

    /** Every item of a paged list ({@code data}, {@code next_before}), oldest page last. */
    void pages(String path, Consumer<JsonNode> each) {
        String before = null;
        while (true) {
            String sep = path.contains("?") ? "&" : "?";
            JsonNode page = call("GET", path + sep + "limit=200"
                    + (before == null ? "" : "&before=" + URLEncoder.encode(before, StandardCharsets.UTF_8)), null);
            for (JsonNode item : page.get("data")) {
                each.accept(item);
            }
            JsonNode next = page.get("next_before");
            if (next == null || next.isNull() || page.get("data").isEmpty()) {
                return;
            }
            before = next.asString();
        }
    }
}
