package dev.parley.cloudapi.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Meta's example payloads in {@code src/test/resources/conformance/payloads}. */
final class Fixtures {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {
    }

    static JsonNode read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/conformance/payloads/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
