package dev.parley.server.media;

import dev.parley.cloudapi.graph.GraphApiException;
import dev.parley.cloudapi.graph.GraphClient;
import dev.parley.cloudapi.graph.GraphException;
import dev.parley.cloudapi.graph.MediaDownload;
import dev.parley.cloudapi.graph.MediaInfo;
import dev.parley.server.channel.IntegrationClients;
import dev.parley.server.channel.IntegrationSignals;
import dev.parley.server.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One download attempt of an inbound media file: {@code GET /{media_id}} for a fresh URL, the download (a URL
 * that expired meanwhile is fetched again by media id), the size and SHA-256 checks against what Meta said (the
 * media object's hex digest and the webhook's base64 one), then the file and its row. A failure leaves the
 * message untouched: the job goes back to pending with a backoff, or ends {@code failed} after the last attempt.
 * It writes the file but not the job's row: the worker records the outcomes of a batch together.
 */
@Component
class MediaDownloader {

    private static final Logger log = LoggerFactory.getLogger(MediaDownloader.class);

    private final IntegrationClients clients;
    private final IntegrationSignals signals;
    private final MediaFiles files;
    private final MediaSettings settings;

    MediaDownloader(IntegrationClients clients, IntegrationSignals signals, MediaFiles files,
                    MediaSettings settings) {
        this.clients = clients;
        this.signals = signals;
        this.files = files;
        this.settings = settings;
    }

    /** A refusal of the downloaded bytes (checksum, size): retried like a failed download. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** What an attempt came to, and whether it failed because the Graph API could not be reached at all. */
    record Attempt(MediaStore.Outcome outcome, boolean unreachable) {
    }

    /** One attempt; its outcome is for the caller to {@linkplain MediaStore#record record}. */
    Attempt run(MediaStore.Job job) {
        GraphClient client;
        try {
            client = clients.forIntegration(job.orgId(), job.integrationId());
        } catch (ApiException e) {
            return new Attempt(new MediaStore.Failed(job.messageId(), "the integration no longer exists", null),
                    false);
        }
        try {
            return new Attempt(download(job, client), false);
        } catch (GraphApiException e) {
            if (e.needsReauthorization()) {
                signals.credentialsRejected(job.integrationId(), e.code(), e.message());
            }
            return new Attempt(failed(job, "Meta answered error " + e.code() + " (HTTP " + e.httpStatus() + ")"
                    + (e.message() == null ? "" : ": " + e.message())), false);
        } catch (GraphException e) {
            return new Attempt(failed(job, unreachableError(e)), true);
        } catch (Refused e) {
            return new Attempt(failed(job, e.getMessage()), false);
        } catch (RuntimeException e) {
            log.warn("media {} of message {}: {}", job.mediaId(), job.messageId(), e.toString());
            return new Attempt(failed(job, e.toString()), false);
        }
    }

    static String unreachableError(GraphException e) {
        return "could not reach the Graph API: " + e.getMessage();
    }

    private MediaStore.Outcome download(MediaStore.Job job, GraphClient client) {
        MediaInfo info = client.getMedia(job.mediaId());
        MediaDownload d;
        try {
            d = client.downloadMedia(info.url());
        } catch (GraphApiException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
            // the URL expired (it lives about 5 minutes): a new one by media id
            info = client.getMedia(job.mediaId());
            d = client.downloadMedia(info.url());
        }
        byte[] bytes = d.bytes();
        if (bytes.length > settings.maxBytes()) {
            throw new Refused("the file is " + bytes.length + " bytes, more than the " + settings.maxBytes()
                    + " accepted");
        }
        if (info.fileSize() != null && info.fileSize() != bytes.length) {
            throw new Refused("size mismatch: Meta said " + info.fileSize() + " bytes, received " + bytes.length);
        }
        String sha = sha256Hex(bytes);
        if (info.sha256() != null && !info.sha256().equalsIgnoreCase(sha)) {
            throw new Refused("sha256 mismatch: Meta's media object says " + info.sha256() + ", the file is " + sha);
        }
        String webhookSha = hex(job.webhookSha256());
        if (webhookSha != null && !webhookSha.equalsIgnoreCase(sha)) {
            throw new Refused("sha256 mismatch: the webhook said " + job.webhookSha256() + ", the file is " + sha);
        }
        String mime = info.mimeType() != null ? info.mimeType()
                : d.contentType() != null ? d.contentType() : job.mimeType();
        String path = files.write(job.orgId(), job.integrationId(), job.messageId(), mime, bytes);
        return new MediaStore.Ready(job.messageId(), mime, sha, bytes.length, path);
    }

    /** A failed attempt: retried after a backoff, or given up after the last one. */
    MediaStore.Failed failed(MediaStore.Job job, String error) {
        boolean last = job.attempts() >= settings.maxAttempts();
        if (last) {
            log.warn("media {} of message {} given up after {} attempts: {}", job.mediaId(), job.messageId(),
                    job.attempts(), error);
        }
        return new MediaStore.Failed(job.messageId(), error, last ? null : backoff(job.attempts()));
    }

    /** The first retry after {@code retryBackoff}, doubling each time (at most an hour), with +-20% jitter. */
    Duration backoff(int attempts) {
        long base = settings.retryBackoff().toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long capped = Math.min(base, Duration.ofHours(1).toMillis());
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A webhook digest (base64, or hex) as lower-case hex; null when absent or unreadable. */
    static String hex(String digest) {
        if (digest == null || digest.isBlank()) {
            return null;
        }
        String d = digest.trim();
        if (d.length() == 64 && d.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return d.toLowerCase(Locale.ROOT);
        }
        try {
            byte[] raw = Base64.getDecoder().decode(d);
            return raw.length == 32 ? HexFormat.of().formatHex(raw) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
