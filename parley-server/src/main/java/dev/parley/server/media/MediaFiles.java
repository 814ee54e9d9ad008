package dev.parley.server.media;

import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Files under {@code ${parley.data-dir}/media}: {@code <org>/<integration>/<message id>.<ext>}, written to a
 * temporary file and moved into place, so a file that exists is complete.
 */
@Component
class MediaFiles {

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("image/jpeg", "jpg"), Map.entry("image/png", "png"), Map.entry("image/webp", "webp"),
            Map.entry("video/mp4", "mp4"), Map.entry("video/3gpp", "3gp"), Map.entry("audio/ogg", "ogg"),
            Map.entry("audio/mpeg", "mp3"), Map.entry("audio/aac", "aac"), Map.entry("audio/amr", "amr"),
            Map.entry("audio/mp4", "m4a"), Map.entry("application/pdf", "pdf"), Map.entry("text/plain", "txt"),
            Map.entry("application/msword", "doc"), Map.entry("application/vnd.ms-excel", "xls"),
            Map.entry("application/vnd.ms-powerpoint", "ppt"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"));

    private final Path root;

    MediaFiles(MediaSettings settings) {
        this.root = settings.root().toAbsolutePath().normalize();
    }

    static String baseMime(String mime) {
        if (mime == null) {
            return null;
        }
        int semi = mime.indexOf(';');
        return (semi < 0 ? mime : mime.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    static String extension(String mime) {
        return EXTENSIONS.getOrDefault(baseMime(mime), "bin");
    }

    /** Writes the file and answers its path relative to the media root. */
    String write(UUID orgId, UUID integrationId, UUID messageId, String mime, byte[] bytes) {
        String relative = orgId + "/" + integrationId + "/" + messageId + "." + extension(mime);
        Path target = resolve(relative);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), messageId.toString(), ".part");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not store media file " + relative, e);
        }
        return relative;
    }

    /** The absolute path of a stored file (never outside the media root). */
    Path resolve(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("media path outside the media directory: " + relative);
        }
        return p;
    }
}
