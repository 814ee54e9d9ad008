package dev.parley.emulator;

import java.security.SecureRandom;
import java.util.Base64;

/** Random identifiers in Meta's formats. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Ids() {}

    /** A numeric Graph object id, 15 or 16 digits, never starting with 0. */
    static String numeric() {
        StringBuilder sb = new StringBuilder();
        sb.append(1 + RANDOM.nextInt(9));
        int len = 14 + RANDOM.nextInt(2);
        for (int i = 0; i < len; i++) sb.append(RANDOM.nextInt(10));
        return sb.toString();
    }

    /** A wamid like Meta's: "wamid." + standard base64 (may contain '+', '/' and '='). */
    static String wamid() {
        byte[] b = new byte[36];
        RANDOM.nextBytes(b);
        b[0] = 0x1c; b[1] = 0x18; // Meta's wamids start with "HBg"
        return "wamid." + Base64.getEncoder().encodeToString(b);
    }

    static String alnum(int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) sb.append(ALNUM[RANDOM.nextInt(ALNUM.length)]);
        return sb.toString();
    }

    static String fbtrace() {
        return alnum(23);
    }

    static String challenge() {
        return Long.toString(1_000_000_000L + (RANDOM.nextLong() & Long.MAX_VALUE) % 9_000_000_000L);
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.toString();
    }
}
