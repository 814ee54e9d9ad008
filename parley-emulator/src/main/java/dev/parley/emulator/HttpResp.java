package dev.parley.emulator;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** An HTTP answer: status, content type and body bytes. */
record HttpResp(int status, String contentType, byte[] body) {
    static HttpResp json(int status, JsonNode node) {
        return new HttpResp(status, "application/json; charset=UTF-8", MetaJson.writeBytes(node));
    }

    static HttpResp text(int status, String text) {
        return new HttpResp(status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
