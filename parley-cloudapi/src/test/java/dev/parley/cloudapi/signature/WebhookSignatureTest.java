package dev.parley.cloudapi.signature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookSignatureTest {

    private static final String SECRET = "test-app-secret";

    // Expected digests computed during development with: printf '%s' BODY | openssl dgst -sha256 -hmac test-app-secret
    private static final String EMPTY_ENTRY_BODY = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
    private static final String EMPTY_ENTRY_SIGNATURE =
            "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc";

    /** Meta's wire form: escaped non-ASCII (lowercase hex), escaped slashes, escaped '@', surrogate-pair emoji. */
    private static final String ESCAPED_BODY =
            "{\"text\":{\"body\":\"mang\\u00e9 https:\\/\\/example.com\\/a \\u0040home \\ud83d\\ude2e\"}}";
    private static final String ESCAPED_SIGNATURE =
            "sha256=5c04b485a361defa57371e03c431af2f90a2e3455120025af7aaba0e97583fcc";

    /** Raw UTF-8 (no escapes): "Grüße 😮". */
    private static final String UTF8_BODY = "{\"text\":{\"body\":\"Gr\u00fc\u00dfe \ud83d\ude2e\"}}";
    private static final String UTF8_SIGNATURE =
            "sha256=a07dba6f17352a9ceb0f456c8dd945e0d07b03c9578abb3541fab6464ce8f9a9";

    private static final String LOCATION_FILE_SIGNATURE =
            "sha256=a3d47f4a5b3009d48f955bc1803d7ec182c93ee3a18b8cf4578b4e4bdab0cdce";

    @Test
    void signMatchesOpensslVector() {
        assertThat(WebhookSignature.sign(EMPTY_ENTRY_BODY.getBytes(UTF_8), SECRET)).isEqualTo(EMPTY_ENTRY_SIGNATURE);
        assertThat(WebhookSignature.sign(ESCAPED_BODY.getBytes(UTF_8), SECRET)).isEqualTo(ESCAPED_SIGNATURE);
        assertThat(WebhookSignature.sign(UTF8_BODY.getBytes(UTF_8), SECRET)).isEqualTo(UTF8_SIGNATURE);
    }

    @Test
    void verifyAcceptsKnownVectors() {
        assertThat(WebhookSignature.verify(EMPTY_ENTRY_BODY.getBytes(UTF_8), EMPTY_ENTRY_SIGNATURE, SECRET)).isTrue();
        assertThat(WebhookSignature.verify(ESCAPED_BODY.getBytes(UTF_8), ESCAPED_SIGNATURE, SECRET)).isTrue();
        assertThat(WebhookSignature.verify(UTF8_BODY.getBytes(UTF_8), UTF8_SIGNATURE, SECRET)).isTrue();
    }

    @Test
    void verifyWorksOnTheExactBytesOfARealPayloadWithEscapedSlashes() throws IOException {
        byte[] body = resource("/conformance/payloads/inbound-location.json");
        assertThat(WebhookSignature.verify(body, LOCATION_FILE_SIGNATURE, SECRET)).isTrue();

        // What an app that re-serialises the parsed body would hash: slashes unescaped, whitespace changed.
        JsonMapper mapper = JsonMapper.builder().build();
        byte[] reserialised = mapper.writeValueAsBytes(mapper.readTree(body));
        assertThat(new String(reserialised, UTF_8)).contains("https://foursquare.com/v/");
        assertThat(WebhookSignature.verify(reserialised, LOCATION_FILE_SIGNATURE, SECRET)).isFalse();
    }

    @Test
    void reserialisedOrUnescapedFormsOfAnEscapedBodyFail() {
        JsonMapper mapper = JsonMapper.builder().build();
        JsonNode tree = mapper.readTree(ESCAPED_BODY);
        String reserialised = mapper.writeValueAsString(tree);
        assertThat(reserialised).contains("mang\u00e9", "https://example.com/a", "@home", "\ud83d\ude2e");
        assertThat(WebhookSignature.verify(reserialised.getBytes(UTF_8), ESCAPED_SIGNATURE, SECRET)).isFalse();

        // Only the '@' unescaped: still a different byte sequence, so still rejected.
        String atOnly = ESCAPED_BODY.replace("\\u0040", "@");
        assertThat(WebhookSignature.verify(atOnly.getBytes(UTF_8), ESCAPED_SIGNATURE, SECRET)).isFalse();

        // Only the slashes unescaped.
        String slashesOnly = ESCAPED_BODY.replace("\\/", "/");
        assertThat(WebhookSignature.verify(slashesOnly.getBytes(UTF_8), ESCAPED_SIGNATURE, SECRET)).isFalse();
    }

    @Test
    void rawUtf8BodyFailsWhenSomethingEscapedIt() {
        String escaped = MetaJsonEscaping.escape(UTF8_BODY);
        assertThat(escaped).isEqualTo("{\"text\":{\"body\":\"Gr\\u00fc\\u00dfe \\ud83d\\ude2e\"}}");
        assertThat(WebhookSignature.verify(escaped.getBytes(UTF_8), UTF8_SIGNATURE, SECRET)).isFalse();
    }

    @Test
    void anyOneByteChangeFails() {
        byte[] body = ESCAPED_BODY.getBytes(UTF_8);
        for (int i = 0; i < body.length; i++) {
            byte[] changed = Arrays.copyOf(body, body.length);
            changed[i] ^= 0x01;
            assertThat(WebhookSignature.verify(changed, ESCAPED_SIGNATURE, SECRET)).as("byte %d flipped", i).isFalse();
        }
        assertThat(WebhookSignature.verify(Arrays.copyOf(body, body.length - 1), ESCAPED_SIGNATURE, SECRET)).isFalse();
        byte[] longer = Arrays.copyOf(body, body.length + 1);
        longer[body.length] = '\n';
        assertThat(WebhookSignature.verify(longer, ESCAPED_SIGNATURE, SECRET)).isFalse();
    }

    @Test
    void wrongSecretFails() {
        assertThat(WebhookSignature.verify(EMPTY_ENTRY_BODY.getBytes(UTF_8), EMPTY_ENTRY_SIGNATURE, "other-secret"))
                .isFalse();
    }

    @Test
    void headerToleratesUpperCaseHexAndSurroundingWhitespace() {
        byte[] body = EMPTY_ENTRY_BODY.getBytes(UTF_8);
        String upper = "sha256=" + EMPTY_ENTRY_SIGNATURE.substring(7).toUpperCase();
        assertThat(WebhookSignature.verify(body, upper, SECRET)).isTrue();
        assertThat(WebhookSignature.verify(body, "  " + EMPTY_ENTRY_SIGNATURE + " ", SECRET)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            " ",
            "sha256=",
            "sha256",
            // wrong or missing prefix
            "c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc",
            "sha1=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc",
            "SHA256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc",
            "sha256:c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc",
            // wrong length
            "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384d",
            "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc00",
            // non-hex of the right length
            "sha256=z84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc",
            "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384d\u00e9",
            // two headers joined by a proxy
            "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc,"
                    + "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc",
            "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc sha256=00",
    })
    void malformedHeadersAreRejectedWithoutException(String header) {
        assertThat(WebhookSignature.verify(EMPTY_ENTRY_BODY.getBytes(UTF_8), header, SECRET)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void nullOrBlankSecretNeverVerifies(String secret) {
        byte[] body = EMPTY_ENTRY_BODY.getBytes(UTF_8);
        assertThat(WebhookSignature.verify(body, EMPTY_ENTRY_SIGNATURE, secret)).isFalse();
        assertThatThrownBy(() -> WebhookSignature.sign(body, secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app secret");
    }

    @Test
    void nullBodyNeverVerifies() {
        assertThat(WebhookSignature.verify(null, EMPTY_ENTRY_SIGNATURE, SECRET)).isFalse();
        assertThatThrownBy(() -> WebhookSignature.sign(null, SECRET)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signThenVerifyRoundTripsOnEscapedBodies() {
        String body = MetaJsonEscaping.escape("{\"a\":\"caf\u00e9 / x@y.z \ud83d\ude00\"}");
        String header = WebhookSignature.sign(body.getBytes(UTF_8), SECRET);
        assertThat(header).matches("sha256=[0-9a-f]{64}");
        assertThat(WebhookSignature.verify(body.getBytes(UTF_8), header, SECRET)).isTrue();
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = WebhookSignatureTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }
}
