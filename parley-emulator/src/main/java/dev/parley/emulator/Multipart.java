package dev.parley.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A small multipart/form-data parser (RFC 7578) for media uploads. */
final class Multipart {
    record Part(String name, String filename, String contentType, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {}

    static List<Part> parse(byte[] body, String contentType) {
        String boundary = null;
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = t.substring(9);
                if (boundary.startsWith("\"") && boundary.endsWith("\"") && boundary.length() >= 2) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
            }
        }
        if (boundary == null || boundary.isEmpty()) throw new IllegalArgumentException("no boundary in Content-Type");
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delim, 0);
        if (pos < 0) throw new IllegalArgumentException("boundary not found in body");
        while (true) {
            int after = pos + delim.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') break; // closing delimiter
            int headerStart = skipCrlf(body, after);
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headerStart);
            if (headerEnd < 0) throw new IllegalArgumentException("part without header end");
            String headers = new String(body, headerStart, headerEnd - headerStart, StandardCharsets.UTF_8);
            int dataStart = headerEnd + 4;
            byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int dataEnd = indexOf(body, next, dataStart);
            if (dataEnd < 0) throw new IllegalArgumentException("part without closing boundary");
            String name = null;
            String filename = null;
            String ct = "application/octet-stream";
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String h = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String v = line.substring(colon + 1).trim();
                if (h.equals("content-disposition")) {
                    name = param(v, "name");
                    filename = param(v, "filename");
                } else if (h.equals("content-type")) {
                    ct = v;
                }
            }
            if (name != null) parts.add(new Part(name, filename, ct, Arrays.copyOfRange(body, dataStart, dataEnd)));
            pos = dataEnd + 2;
        }
        return parts;
    }

    private static String param(String header, String key) {
        for (String p : header.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith(key + "=")) {
                String v = t.substring(key.length() + 1);
                if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) v = v.substring(1, v.length() - 1);
                return v;
            }
        }
        return null;
    }

    private static int skipCrlf(byte[] b, int i) {
        if (i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n') return i + 2;
        return i;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
