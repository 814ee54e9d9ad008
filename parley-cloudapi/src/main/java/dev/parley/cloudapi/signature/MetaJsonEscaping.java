package dev.parley.cloudapi.signature;

/**
 * Rewrites JSON text into the escaped form Meta puts on the wire: every character outside ASCII becomes a
 * lowercase <code>&#92;uXXXX</code> escape of its UTF-16 unit(s) (emoji become surrogate pairs) and {@code /} becomes
 * {@code \/}. Existing escapes are kept as they are, so the result decodes to the same JSON data.
 *
 * <p>Meant for tests, the emulator and benchmarks that need realistic signed bodies. Verification never uses
 * it: {@link WebhookSignature#verify} hashes the bytes exactly as received.
 */
public final class MetaJsonEscaping {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private MetaJsonEscaping() {
    }

    /**
     * Escapes {@code json} (valid JSON text, e.g. from {@code JsonMapper.writeValueAsString}) Meta-style.
     *
     * @throws IllegalArgumentException if {@code json} is null
     */
    public static String escape(String json) {
        if (json == null) {
            throw new IllegalArgumentException("json to escape must not be null");
        }
        StringBuilder out = new StringBuilder(json.length() + 16);
        boolean afterBackslash = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (afterBackslash) {
                // The character after a backslash belongs to an existing escape: keep it as is.
                out.append(c);
                afterBackslash = false;
            } else if (c == '\\') {
                out.append(c);
                afterBackslash = true;
            } else if (c == '/') {
                out.append("\\/");
            } else if (c > 0x7f) {
                out.append("\\u")
                        .append(HEX_DIGITS[(c >> 12) & 0xf])
                        .append(HEX_DIGITS[(c >> 8) & 0xf])
                        .append(HEX_DIGITS[(c >> 4) & 0xf])
                        .append(HEX_DIGITS[c & 0xf]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
