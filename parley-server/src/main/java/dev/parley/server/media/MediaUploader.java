package dev.parley.server.media;

import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.server.audit.AuditLog;
import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationRef;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@link MediaUploads}: {@link MediaLimits} first, then Meta's media endpoint. */
@Service
class MediaUploader implements MediaUploads {

    private final IntegrationClients clients;
    private final IntegrationSignals signals;
    private final AuditLog audit;

    MediaUploader(IntegrationClients clients, IntegrationSignals signals, AuditLog audit) {
        this.clients = clients;
        this.signals = signals;
        this.audit = audit;
    }

    @Override
    public String check(String mimeType, byte[] bytes) {
        return ok(mimeType, bytes).kind().type();
    }

    private static MediaLimits.Ok ok(String mimeType, byte[] bytes) {
        MediaLimits.Verdict verdict = MediaLimits.check(mimeType, bytes);
        if (verdict instanceof MediaLimits.No no) {
            throw ApiException.unprocessable(no.refusal().code(), no.refusal().message());
        }
        return (MediaLimits.Ok) verdict;
    }

    @Override
    public Uploaded upload(Actor actor, UUID integrationId, String filename, String mimeType, byte[] bytes) {
        IntegrationRef ref = clients.ref(actor.orgId(), integrationId); // 404 unless the caller's organization has it
        MediaLimits.Ok ok = ok(mimeType, bytes);
        String mediaId;
        try {
            mediaId = clients.forIntegration(actor.orgId(), integrationId)
                    .uploadMedia(ref.phoneNumberId(), bytes, ok.mimeType(), filename);
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
        return new Uploaded(mediaId, ok.kind().type(), ok.mimeType(), bytes.length);
    }

    @Override
    public List<String> acceptedMimeTypes() {
        return MediaLimits.KINDS.stream().flatMap(k -> k.mimeTypes().stream()).toList();
    }
}
