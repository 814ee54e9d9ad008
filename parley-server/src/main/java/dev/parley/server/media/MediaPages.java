package dev.parley.server.media;

import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A message's media file for the web app's thread (the session's twin of {@code GET /api/v1/messages/{id}/media}):
 * images, audio and video inline, other files as downloads; another organization's answers 404. Served with
 * {@code X-Content-Type-Options: nosniff} (Spring Security's default) so a file is never run as a page.
 */
@UiController
class MediaPages {

    private final MediaStore store;
    private final MediaFiles files;

    MediaPages(MediaStore store, MediaFiles files) {
        this.store = store;
        this.files = files;
    }

    @GetMapping("/app/media/{id}")
    ResponseEntity<Resource> file(Actor actor, @PathVariable UUID id) {
        MediaStore.Job job = store.find(actor.orgId(), id).orElseThrow(() -> ApiException.notFound("media"));
        if (!MediaStore.READY.equals(job.state())) {
            throw ApiException.conflict("media_not_ready", "the file is not downloaded yet (" + job.state() + ")");
        }
        Path path = files.resolve(job.path());
        if (!Files.isReadable(path)) {
            throw ApiException.notFound("media file");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(job.mimeType());
        } catch (RuntimeException e) {
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        boolean inline = "image".equals(type.getType()) || "audio".equals(type.getType())
                || "video".equals(type.getType());
        if (inline && type.getSubtype().contains("svg")) {
            inline = false; // an SVG can carry script: always a download
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        ContentDisposition disposition = (inline ? ContentDisposition.inline() : ContentDisposition.attachment())
                .filename(id + "." + MediaFiles.extension(job.mimeType())).build();
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
                .body(new FileSystemResource(path));
    }
}
