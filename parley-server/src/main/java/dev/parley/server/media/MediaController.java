package dev.parley.server.media;

import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Media over HTTP: an inbound message's file ({@code GET /api/v1/messages/{id}/media}) and its download state
 * ({@code .../media/info}) for every role of the message's organization (another organization: 404), and
 * uploads for sending ({@code POST /api/v1/media}), checked against Meta's type and size rules first.
 */
@RestController
@RequestMapping("/api/v1")
class MediaController {

    private final MediaStore store;
    private final MediaFiles files;
    private final MediaUploads uploads;

    MediaController(MediaStore store, MediaFiles files, MediaUploads uploads) {
        this.store = store;
        this.files = files;
        this.uploads = uploads;
    }

    @GetMapping("/messages/{id}/media")
    ResponseEntity<Resource> file(Actor actor, @PathVariable UUID id) {
        MediaStore.Job job = store.find(actor.orgId(), id).orElseThrow(() -> ApiException.notFound("media"));
        if (!MediaStore.READY.equals(job.state())) {
            throw ApiException.conflict("media_not_ready", "the media is " + job.state()
                    + (job.lastError() == null ? "" : " (last error: " + job.lastError() + ")")
                    + "; see GET /api/v1/messages/" + id + "/media/info");
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
        String filename = id + "." + MediaFiles.extension(job.mimeType());
        boolean inline = "image".equals(type.getType()) || "audio".equals(type.getType())
                || "video".equals(type.getType());
        ContentDisposition disposition = (inline ? ContentDisposition.inline() : ContentDisposition.attachment())
                .filename(filename).build();
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
                .contentLength(job.size() == null ? size(path) : job.size())
                .body(new FileSystemResource(path));
    }

    @GetMapping("/messages/{id}/media/info")
    Map<String, Object> info(Actor actor, @PathVariable UUID id) {
        MediaStore.Job job = store.find(actor.orgId(), id).orElseThrow(() -> ApiException.notFound("media"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_id", job.messageId());
        m.put("media_id", job.mediaId());
        m.put("type", job.messageType());
        m.put("state", job.state());
        m.put("mime_type", job.mimeType());
        m.put("file_size", job.size());
        m.put("sha256", job.sha256());
        m.put("attempts", job.attempts());
        m.put("last_error", job.lastError());
        return m;
    }

    @PostMapping(path = "/media", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> upload(Actor actor, @RequestParam("integration_id") UUID integrationId,
                               @RequestParam("file") MultipartFile file,
                               @RequestParam(name = "type", required = false) String type) {
        byte[] bytes;
        try {
            bytes = file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String mime = type != null && !type.isBlank() ? type : file.getContentType();
        MediaUploads.Uploaded up = uploads.upload(actor, integrationId, file.getOriginalFilename(), mime, bytes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", up.mediaId());
        body.put("integration_id", integrationId);
        body.put("type", up.type());
        body.put("mime_type", up.mimeType());
        body.put("file_size", up.size());
        return body;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
