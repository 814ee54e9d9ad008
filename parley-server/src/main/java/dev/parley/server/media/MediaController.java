package dev.parley.server.media;

import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.server.audit.AuditLog;
import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationRef;
import dev.parley.server.channel.IntegrationSignals;
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
    private final IntegrationClients clients;
    private final IntegrationSignals signals;
    private final AuditLog audit;

    MediaController(MediaStore store, MediaFiles files, IntegrationClients clients, IntegrationSignals signals,
                    AuditLog audit) {
        this.store = store;
        this.files = files;
        this.clients = clients;
        this.signals = signals;
        this.audit = audit;
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
        IntegrationRef ref = clients.ref(actor.orgId(), integrationId); // 404 unless the caller's organization has it
        byte[] bytes;
        try {
            bytes = file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String mime = type != null && !type.isBlank() ? type : file.getContentType();
        MediaLimits.Verdict verdict = MediaLimits.check(mime, bytes);
        if (verdict instanceof MediaLimits.No no) {
            throw ApiException.unprocessable(no.refusal().code(), no.refusal().message());
        }
        MediaLimits.Ok ok = (MediaLimits.Ok) verdict;
        String mediaId;
        try {
            mediaId = clients.forIntegration(actor.orgId(), integrationId)
                    .uploadMedia(ref.phoneNumberId(), bytes, ok.mimeType(), file.getOriginalFilename());
        } catch (GraphApiException e) {
            if (e.needsReauthorization()) {
                signals.credentialsRejected(integrationId, e.code(), e.message());
            }
            throw new ApiException(HttpStatus.BAD_GATEWAY, "graph_error",
                    "Meta answered error " + e.code() + (e.message() == null ? "" : ": " + e.message()));
        } catch (GraphException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "graph_unreachable",
                    "could not reach the Graph API at the integration's graph_base_url");
        }
        audit.record(actor, "media.uploaded", integrationId.toString(),
                Map.of("media_id", mediaId, "type", ok.kind().type(), "mime_type", ok.mimeType(),
                        "file_size", bytes.length));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", mediaId);
        body.put("integration_id", integrationId);
        body.put("type", ok.kind().type());
        body.put("mime_type", ok.mimeType());
        body.put("file_size", bytes.length);
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
