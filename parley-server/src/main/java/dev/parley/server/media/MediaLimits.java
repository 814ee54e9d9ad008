package dev.parley.server.media;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Meta's per-type media rules for uploads (facts sheet section 6, "Types and size limits"), checked before the
 * file is sent to Meta so the caller gets a 422 naming the rule instead of Meta's 131053 later.
 */
final class MediaLimits {

    private static final long KB = 1024L;
    private static final long MB = 1024L * 1024L;

    /** One kind of media: its name in the send API, its MIME types and its size limit. */
    record Kind(String type, List<String> mimeTypes, long maxBytes, String limitText) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("audio", List.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"), 16 * MB,
                    "16 MB"),
            new Kind("document", List.of("text/plain", "application/pdf", "application/msword",
                    "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation"), 100 * MB,
                    "100 MB"),
            new Kind("image", List.of("image/jpeg", "image/png"), 5 * MB, "5 MB"),
            new Kind("sticker", List.of("image/webp"), 500 * KB, "100 KB static, 500 KB animated"),
            new Kind("video", List.of("video/mp4", "video/3gpp"), 16 * MB, "16 MB"));

    private static final long STATIC_STICKER_MAX = 100 * KB;

    /** A refusal: the code and the rule. */
    record Refusal(String code, String message) {
    }

    /** What Meta accepts for this MIME type, or the refusal. */
    sealed interface Verdict permits Ok, No {
    }

    record Ok(Kind kind, String mimeType) implements Verdict {
    }

    record No(Refusal refusal) implements Verdict {
    }

    private MediaLimits() {
    }

    static Verdict check(String mimeType, byte[] bytes) {
        String mime = mimeType == null ? null : mimeType.trim();
        String base = MediaFiles.baseMime(mime);
        if (base == null || base.isEmpty()) {
            return no("media_type_missing", "the file's MIME type is needed (the file part's Content-Type or the"
                    + " type field); Meta accepts " + accepted());
        }
        Kind kind = KINDS.stream().filter(k -> k.mimeTypes().contains(base)).findFirst().orElse(null);
        if (kind == null) {
            return no("media_type_unsupported", "Meta does not accept " + base + " media; accepted types: "
                    + accepted());
        }
        if (base.equals("audio/ogg") && mime.toLowerCase(Locale.ROOT).contains("codecs")
                && !mime.toLowerCase(Locale.ROOT).contains("opus")) {
            return no("media_type_unsupported", "Meta accepts audio/ogg only with the Opus codec, not " + mime);
        }
        if (bytes.length == 0) {
            return no("media_empty", "the file is empty");
        }
        if (bytes.length > kind.maxBytes()) {
            return no("media_too_large", "Meta limits " + kind.type() + " (" + base + ") to " + kind.limitText()
                    + "; this file is " + human(bytes.length));
        }
        if (kind.type().equals("sticker") && bytes.length > STATIC_STICKER_MAX && !animatedWebp(bytes)) {
            return no("media_too_large", "Meta limits static stickers (image/webp) to 100 KB (animated ones to"
                    + " 500 KB); this static sticker is " + human(bytes.length));
        }
        return new Ok(kind, mime);
    }

    /** An animated WebP: a RIFF/WEBP file whose VP8X chunk has the animation flag. */
    static boolean animatedWebp(byte[] b) {
        return b.length > 20 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W'
                && b[9] == 'E' && b[10] == 'B' && b[11] == 'P' && b[12] == 'V' && b[13] == 'P' && b[14] == '8'
                && b[15] == 'X' && (b[20] & 0x02) != 0;
    }

    private static No no(String code, String message) {
        return new No(new Refusal(code, message));
    }

    private static String accepted() {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (Kind k : KINDS) {
            byType.put(k.type(), k.mimeTypes());
        }
        StringBuilder s = new StringBuilder();
        byType.forEach((t, m) -> s.append(s.isEmpty() ? "" : "; ").append(t).append(": ").append(String.join(", ", m)));
        return s.toString();
    }

    private static String human(long bytes) {
        return bytes >= MB ? String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB)
                : String.format(Locale.ROOT, "%.1f KB", bytes / (double) KB);
    }
}
