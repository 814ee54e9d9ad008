package dev.parley.cloudapi.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class MetaJsonEscapingTest {

    @Test
    void escapesNonAsciiAsLowercaseUtf16UnitsAndSlashes() {
        assertThat(MetaJsonEscaping.escape("{\"t\":\"\u00e4\u00f6\u00e5\"}"))
                .isEqualTo("{\"t\":\"\\u00e4\\u00f6\\u00e5\"}");
        assertThat(MetaJsonEscaping.escape("{\"e\":\"\ud83d\ude2e\"}")).isEqualTo("{\"e\":\"\\ud83d\\ude2e\"}");
        assertThat(MetaJsonEscaping.escape("{\"u\":\"https://a.b/c\"}")).isEqualTo("{\"u\":\"https:\\/\\/a.b\\/c\"}");
        assertThat(MetaJsonEscaping.escape("{\"k\":\"\u20ac\uFFFF\"}")).isEqualTo("{\"k\":\"\\u20ac\\uffff\"}");
    }

    @Test
    void leavesAsciiAndExistingEscapesAlone() {
        String ascii = "{\"a\":\"x@y <b> 100% \\\"q\\\" \\n\",\"n\":[1,2.5,true,null]}";
        assertThat(MetaJsonEscaping.escape(ascii)).isEqualTo(ascii);
        // An escaped slash must not become \\/ (which would decode to a backslash and a slash).
        assertThat(MetaJsonEscaping.escape("{\"u\":\"a\\/b\"}")).isEqualTo("{\"u\":\"a\\/b\"}");
        // An escaped backslash followed by a slash: the slash is a real character and gets escaped.
        assertThat(MetaJsonEscaping.escape("{\"u\":\"a\\\\/b\"}")).isEqualTo("{\"u\":\"a\\\\\\/b\"}");
        assertThat(MetaJsonEscaping.escape("{\"e\":\"\\ud83d\\ude2e\"}")).isEqualTo("{\"e\":\"\\ud83d\\ude2e\"}");
    }

    @Test
    void escapedTextDecodesToTheSameData() {
        JsonMapper mapper = JsonMapper.builder().build();
        String json = "{\"body\":\"mang\u00e9 \u00e4 https://x.y/z \\\\/ \ud83d\ude2e\",\"list\":[\"/\",\"\u4e2d\"]}";
        String escaped = MetaJsonEscaping.escape(json);
        assertThat(escaped.chars().allMatch(c -> c < 0x80)).isTrue();
        assertThat(mapper.readTree(escaped)).isEqualTo(mapper.readTree(json));
    }

    @Test
    void nullIsRejectedClearly() {
        assertThatThrownBy(() -> MetaJsonEscaping.escape(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }
}
