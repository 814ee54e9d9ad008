package dev.parley.server.channel;

import dev.parley.server.support.ApiTestBase;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers shared by the channel contracts: integration bodies (unique Meta ids come from {@link #metaId()}). */
abstract class ChannelTestSupport extends ApiTestBase {

    static Map<String, Object> body(String phoneNumberId) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", "Support line");
        b.put("app_id", "100000000000001");
        b.put("app_secret", "app-secret-" + phoneNumberId + "-x1y2");
        b.put("waba_id", "100000000000002");
        b.put("phone_number_id", phoneNumberId);
        b.put("access_token", "EAAG-token-" + phoneNumberId + "-k9z8");
        return b;
    }

    JsonNode create(String token, Map<String, Object> body) {
        Answer a = post(INTEGRATIONS, token, json(body));
        if (a.status() != 201) {
            throw new AssertionError("create answered " + a.status() + ": " + a.body());
        }
        return a.json();
    }
}
