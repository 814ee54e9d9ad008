package dev.parley.cloudapi.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meta's {@code X-Hub-Signature-256} header: {@code "sha256=" + hex(HMAC-SHA256(appSecret, body))}.
 *
 * <p>Always verify over the <em>raw request bytes</em>. Meta signs its escaped wire form ({@code \/},
 * <code>&#92;u00e4</code>, surrogate pairs for emoji); a body that was parsed and re-serialised hashes differently as
 * soon as it contains a slash, an {@code @} or any non-ASCII character.
 *
 * <p>Stateless and thread-safe.
 */
public final class WebhookSignature {

    /** The HTTP header Meta sends the signature in. */
    public static final String HEADER = "X-Hub-Signature-256";

    /** The prefix of the header value. */
    public static final String PREFIX = "sha256=";

    private static final String ALGORITHM = "HmacSHA256";
    private static final int DIGEST_HEX_LENGTH = 64;
    private static final HexFormat HEX = HexFormat.of();

    private WebhookSignature() {
    }

    /**
     * Computes the header value Meta would send for {@code body}: {@code "sha256=" + 64 lowercase hex digits}.
     *
     * @throws IllegalArgumentException if {@code body} is null or {@code appSecret} is null or blank
     */
    public static String sign(byte[] body, String appSecret) {
        if (body == null) {
            throw new IllegalArgumentException("body to sign must not be null");
        }
        if (appSecret == null || appSecret.isBlank()) {
            throw new IllegalArgumentException("app secret must not be null or blank");
        }
        return PREFIX + HEX.formatHex(hmac(body, appSecret));
    }

    /**
     * Checks an {@code X-Hub-Signature-256} header value against the raw body, in constant time.
     * Returns {@code false}, never throws, for a null body, a missing or blank header, a prefix other than
     * {@code sha256=}, a digest that is not 64 hex digits, or a null or blank secret. Upper-case hex digits and
     * surrounding whitespace in the header are accepted.
     */
    public static boolean verify(byte[] rawBody, String headerValue, String appSecret) {
        if (rawBody == null || headerValue == null || appSecret == null || appSecret.isBlank()) {
            return false;
        }
        String value = headerValue.strip();
        if (!value.startsWith(PREFIX)) {
            return false;
        }
        String hex = value.substring(PREFIX.length());
        if (hex.length() != DIGEST_HEX_LENGTH) {
            return false;
        }
        byte[] expected;
        try {
            expected = HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(rawBody, appSecret), expected);
    }

    /** A thread's Mac and the secret it was initialised with (the ack path checks thousands of bodies a second). */
    private record KeyedMac(String secret, Mac mac) {
    }

    private static final ThreadLocal<KeyedMac> MACS = new ThreadLocal<>();

    private static byte[] hmac(byte[] body, String appSecret) {
        try {
            // Mac.getInstance (a provider look-up) and init (two hash blocks of key set-up) cost more than the HMAC
            // of a typical delivery; doFinal resets the Mac to its initialised state, so a thread reuses it
            KeyedMac k = MACS.get();
            if (k == null || !k.secret().equals(appSecret)) {
                Mac mac = k == null ? Mac.getInstance(ALGORITHM) : k.mac();
                mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
                k = new KeyedMac(appSecret, mac);
                MACS.set(k);
            }
            return k.mac().doFinal(body);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java SE implementation.
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
