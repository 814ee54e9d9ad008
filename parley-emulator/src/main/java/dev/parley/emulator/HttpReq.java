package dev.parley.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One parsed HTTP request: method, path segments, query parameters, body bytes. */
final class HttpReq {
    final HttpExchange exchange;
    final String method;
    final String path;
    final List<String> segments;
    final Map<String, String> query;
    final byte[] body;

    HttpReq(HttpExchange exchange, byte[] body) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        this.path = exchange.getRequestURI().getRawPath();
        List<String> segs = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty()) segs.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        this.segments = Collections.unmodifiableList(segs);
        this.query = Collections.unmodifiableMap(parseForm(exchange.getRequestURI().getRawQuery()));
        this.body = body;
    }

    static Map<String, String> parseForm(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return m;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.putIfAbsent(k, v);
        }
        return m;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    String contentType() {
        String ct = header("Content-Type");
        return ct == null ? "" : ct.toLowerCase(java.util.Locale.ROOT);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as a JSON object: JSON, or form-urlencoded fields as strings (Graph accepts both); an empty body is
     * an empty object. Anything else is Meta's "Invalid parameter".
     */
    ObjectNode jsonBody() {
        if (body.length == 0) return MetaJson.object();
        if (contentType().startsWith("application/x-www-form-urlencoded")) {
            ObjectNode o = MetaJson.object();
            for (Map.Entry<String, String> e : parseForm(bodyText()).entrySet()) {
                String v = e.getValue();
                JsonNode parsed = null;
                if (v.startsWith("{") || v.startsWith("[")) {
                    try {
                        parsed = MetaJson.parse(v);
                    } catch (JacksonException ignored) {
                        // a plain string after all
                    }
                }
                if (parsed != null) o.set(e.getKey(), parsed); else o.put(e.getKey(), v);
            }
            return o;
        }
        JsonNode n;
        try {
            n = MetaJson.parse(bodyText());
        } catch (JacksonException e) {
            throw GraphException.invalidParam("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(n instanceof ObjectNode)) throw GraphException.invalidParam("The request body must be a JSON object");
        return (ObjectNode) n;
    }
}
