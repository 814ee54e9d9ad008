package dev.parley.server.media;

import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;

import java.util.List;
import java.util.UUID;

/**
 * Uploading a file to Meta for sending, for other features (the inbox's reply box) as for {@code POST /api/v1/media}:
 * Meta's type and size rules are checked first, then the file goes to the integration's {@code /{pn}/media}.
 */
public interface MediaUploads {

    /** A file Meta accepted: its media id, Meta's kind ({@code image}, {@code video}, ...), MIME type and size. */
    record Uploaded(String mediaId, String type, String mimeType, long size) {
    }

    /**
     * Meta's kind for this file ({@code image}, {@code video}, {@code audio}, {@code document}, {@code sticker}), or
     * an {@link ApiException} (422) naming the rule it breaks (type not accepted, empty, too large). Uploads nothing.
     */
    String check(String mimeType, byte[] bytes);

    /**
     * Checks like {@link #check} and uploads to Meta through the integration (404 unless the actor's organization
     * has it; 502 when Meta refuses or cannot be reached). Audited as {@code media.uploaded}.
     */
    Uploaded upload(Actor actor, UUID integrationId, String filename, String mimeType, byte[] bytes);

    /** Every MIME type Meta accepts for sending (for a file picker's {@code accept}). */
    List<String> acceptedMimeTypes();
}
