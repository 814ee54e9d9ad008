package dev.parley.server.media;

import dev.parley.cloudapi.graph.GraphClient;
import dev.parley.cloudapi.graph.MediaInfo;
import dev.parley.cloudapi.webhook.WebhookParser;
import dev.parley.cloudapi.webhook.WebhookPayload;
import dev.parley.emulator.Faults;
import dev.parley.server.identity.Role;
import dev.parley.server.messaging.InboundContext;
import dev.parley.server.messaging.InboundItems;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Media over HTTP against the real emulator: inbound media fetched in its own retried step (end to end from the
 * customer's message through the signed webhook), checked against Meta's SHA-256, served only to the
 * organization; uploads checked against Meta's type and size rules before reaching Meta.
 */
abstract class MediaContract extends MediaTestSupport {

    static final AtomicLong DELIVERY = new AtomicLong(50_000);
    static final WebhookParser PARSER = new WebhookParser();
    // a real 1x1 PNG
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    @Autowired
    InboundItems inbound;

    JsonNode onlyMessage(Connected c) {
        Answer list = get("/api/v1/conversations?integration_id=" + c.integrationId(), c.org().ownerToken());
        assertThat(list.status()).isEqualTo(200);
        JsonNode conversations = list.json().get("data");
        if (conversations.isEmpty()) {
            return null;
        }
        Answer page = get("/api/v1/conversations/" + conversations.get(0).get("id").asString() + "/messages",
                c.org().ownerToken());
        return page.json().get("data").isEmpty() ? null : page.json().get("data").get(0);
    }

    JsonNode info(Connected c, String messageId) {
        Answer a = get("/api/v1/messages/" + messageId + "/media/info", c.org().ownerToken());
        return a.status() == 200 ? a.json() : null;
    }

    /** Waits until the message's media reached the state ({@code ready}, {@code failed}) and answers its info. */
    JsonNode awaitMedia(Connected c, String messageId, String state) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> info(c, messageId),
                i -> i != null && i.get("state").asString().equals(state));
    }

    @Test
    void aDownloadThatFailsTwiceIsRetriedAndTheFileIsServedToTheOrganizationOnly() {
        Connected c = integration(true);
        // the next two Graph calls (the media object lookups) fail with Meta's transient error
        emulator.faults().failNext(2, Faults.Kind.TEMPORARY_ERROR);
        emulator.inbound(c.biz().phoneNumberId(), "15557654321", "Ana",
                "{\"type\":\"image\",\"image\":{\"caption\":\"receipt\"}}", PNG, "image/png");

        JsonNode message = await().atMost(Duration.ofSeconds(20)).until(() -> onlyMessage(c), m -> m != null);
        assertThat(message.get("type").asString()).isEqualTo("image");
        assertThat(message.get("content").get("caption").asString()).isEqualTo("receipt");
        String id = message.get("id").asString();

        JsonNode info = awaitMedia(c, id, "ready");
        assertThat(info.get("attempts").asInt()).isEqualTo(3);
        assertThat(info.get("mime_type").asString()).isEqualTo("image/png");
        assertThat(info.get("file_size").asLong()).isEqualTo(PNG.length);
        assertThat(info.get("sha256").asString()).isEqualTo(sha256Hex(PNG));
        assertThat(info.get("last_error").isNull()).isTrue();

        HttpResponse<byte[]> file = bytes("/api/v1/messages/" + id + "/media", tokenFor(c.org(), Role.AGENT));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(file.body()).isEqualTo(PNG);

        // another organization sees neither the file nor its state
        TestOrg other = newOrg();
        assertThat(bytes("/api/v1/messages/" + id + "/media", other.ownerToken()).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/messages/" + id + "/media/info", other.ownerToken()).status()).isEqualTo(404);
    }

    @Test
    void aFileWhoseSha256DiffersFromMetasIsRefusedAndRetriedWhileTheMessageStays() throws Exception {
        Connected c = integration(false);
        // real media at Meta, announced by a webhook with another file's digest
        String id = announce(c, uploadedPng(c), "another file".getBytes(StandardCharsets.UTF_8));

        JsonNode info = awaitMedia(c, id, "failed");
        assertThat(info.get("attempts").asInt()).isEqualTo(4); // parley.media.max-attempts in the tests
        assertThat(info.get("last_error").asString()).contains("sha256 mismatch");
        assertThat(info.get("sha256").isNull()).isTrue();
        Answer refused = get("/api/v1/messages/" + id + "/media", c.org().ownerToken());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("media_not_ready");
        // the message itself is there, untouched
        Answer message = get("/api/v1/messages/" + id, c.org().ownerToken());
        assertThat(message.status()).isEqualTo(200);
        assertThat(message.json().get("type").asString()).isEqualTo("image");
    }

    /** {@link #PNG} uploaded to Meta through Parley; answers its media id. */
    String uploadedPng(Connected c) {
        Answer uploaded = upload(c.org().ownerToken(), c.integrationId(), "photo.png", "image/png", PNG);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        return uploaded.json().get("id").asString();
    }

    /**
     * A webhook announcing media already at Meta (uploaded by the test) with the SHA-256 of {@code bytes}, processed
     * as Parley would; the message id.
     */
    String announce(Connected c, String mediaId, byte[] bytes) throws Exception {
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        WebhookPayload payload = PARSER.parse("""
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111",
                 "phone_number_id":"%s"},"contacts":[{"profile":{"name":"Bo"},"wa_id":"15550009999"}],
                 "messages":[{"from":"15550009999","id":"wamid.media-%s","timestamp":"%d","type":"image",
                  "image":{"id":"%s","mime_type":"image/png","sha256":"%s"}}]}}]}]}"""
                .formatted(c.biz().wabaId(), c.biz().phoneNumberId(), UUID.randomUUID(),
                        Instant.now().getEpochSecond(), mediaId, digest));
        var result = inbound.apply(new InboundContext(c.org().org().id(), c.integrationId(),
                DELIVERY.incrementAndGet(), Instant.now()), payload.messageEvents(), payload.statusEvents());
        assertThat(result.messagesStored()).isEqualTo(1);
        return result.stored().get(0).toString();
    }

    /** A download of media whose URLs had expired: the message, its media info once ready, the URLs Meta issued. */
    record ExpiredUrlsDownload(Connected c, String messageId, JsonNode info, int urlsIssued) {
        String file() {
            return "/api/v1/messages/" + messageId + "/media";
        }
    }

    /**
     * {@link #PNG} at Meta whose next {@code expired} download URLs have expired by the time Parley downloads from
     * them (Meta answers 404), announced by a webhook; answers once the download is ready.
     */
    ExpiredUrlsDownload downloadWithExpiredUrls(int expired) throws Exception {
        Connected c = integration(false);
        String mediaId = uploadedPng(c);
        emulator.expireNextMediaUrls(mediaId, expired);
        int urlsBefore = emulator.mediaUrlsIssued(mediaId);
        String id = announce(c, mediaId, PNG);
        JsonNode info = awaitMedia(c, id, "ready");
        return new ExpiredUrlsDownload(c, id, info, emulator.mediaUrlsIssued(mediaId) - urlsBefore);
    }

    @Test
    void aMediaUrlThatExpiredBeforeTheDownloadIsFetchedAgainByMediaIdInTheSameAttempt() throws Exception {
        // Meta's download URLs live 5 minutes: the first one Parley gets has expired by the time it downloads;
        // Parley must ask GET /{media_id} for a fresh URL instead of failing the attempt
        ExpiredUrlsDownload d = downloadWithExpiredUrls(1);
        assertThat(d.info().get("attempts").asInt()).isEqualTo(1); // without the refetch: a failed attempt, then a 2nd
        assertThat(d.info().get("last_error").isNull()).isTrue();
        assertThat(d.urlsIssued()).isEqualTo(2);
        HttpResponse<byte[]> file = bytes(d.file(), d.c().org().ownerToken());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(PNG);
    }

    @Test
    void whenTheFreshUrlHasExpiredTooTheAttemptFailsAndTheNextOneDownloads() throws Exception {
        // the URL and the one fetched again: one refetch per attempt
        ExpiredUrlsDownload d = downloadWithExpiredUrls(2);
        assertThat(d.info().get("attempts").asInt()).isEqualTo(2);
        assertThat(bytes(d.file(), d.c().org().ownerToken()).body()).isEqualTo(PNG);
    }

    @Test
    void aMessageWithoutMediaHasNoMediaAndUnknownIdsAnswer404() {
        TestOrg org = newOrg();
        assertThat(get("/api/v1/messages/" + UUID.randomUUID() + "/media", org.ownerToken()).status())
                .isEqualTo(404);
        assertThat(get("/api/v1/messages/" + UUID.randomUUID() + "/media/info", org.ownerToken()).status())
                .isEqualTo(404);
    }

    // ------------------------------------------------------------------ uploads

    @Test
    void anUploadReachesMetaAndAnswersTheMediaIdToSendWith() {
        Connected c = integration(false);
        Answer a = upload(tokenFor(c.org(), Role.AGENT), c.integrationId(), "photo.png", "image/png", PNG);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("type").asString()).isEqualTo("image");
        assertThat(a.json().get("mime_type").asString()).isEqualTo("image/png");
        assertThat(a.json().get("file_size").asInt()).isEqualTo(PNG.length);
        MediaInfo atMeta = GraphClient.builder().baseUrl(emulator.baseUrl()).accessToken(c.biz().accessToken())
                .build().getMedia(a.json().get("id").asString());
        assertThat(atMeta.sha256()).isEqualTo(sha256Hex(PNG));
        assertThat(atMeta.mimeType()).isEqualTo("image/png");
    }

    @Test
    void uploadsBreakingMetasRulesAreRefusedWithTheRuleBeforeReachingMeta() {
        Connected c = integration(false);
        String token = c.org().ownerToken();

        Answer gif = upload(token, c.integrationId(), "a.gif", "image/gif", new byte[] {'G', 'I', 'F', '8'});
        assertThat(gif.status()).isEqualTo(422);
        assertThat(gif.json().at("/error/code").asString()).isEqualTo("media_type_unsupported");
        assertThat(gif.json().at("/error/message").asString()).contains("image/gif").contains("image/png");

        byte[] big = new byte[5 * 1024 * 1024 + 1];
        Answer tooBig = upload(token, c.integrationId(), "big.png", "image/png", big);
        assertThat(tooBig.status()).isEqualTo(422);
        assertThat(tooBig.json().at("/error/code").asString()).isEqualTo("media_too_large");
        assertThat(tooBig.json().at("/error/message").asString()).contains("image").contains("5 MB");

        byte[] sticker = Arrays.copyOf("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), 200 * 1024);
        Answer staticSticker = upload(token, c.integrationId(), "s.webp", "image/webp", sticker);
        assertThat(staticSticker.status()).isEqualTo(422);
        assertThat(staticSticker.json().at("/error/message").asString()).contains("static stickers")
                .contains("100 KB");

        byte[] animated = Arrays.copyOf("RIFF\0\0\0\0WEBPVP8X".getBytes(StandardCharsets.US_ASCII), 200 * 1024);
        animated[20] = 0x02;
        assertThat(upload(token, c.integrationId(), "a.webp", "image/webp", animated).status()).isEqualTo(201);

        Answer ogg = upload(token, c.integrationId(), "v.ogg", "audio/ogg; codecs=vorbis", new byte[10]);
        assertThat(ogg.status()).isEqualTo(422);
        assertThat(ogg.json().at("/error/message").asString()).contains("Opus");

        assertThat(upload(token, c.integrationId(), "empty.pdf", "application/pdf", new byte[0]).status())
                .isEqualTo(422);
        // another organization's integration
        assertThat(upload(newOrg().ownerToken(), c.integrationId(), "photo.png", "image/png", PNG).status())
                .isEqualTo(404);
        // nothing refused reached Meta: only the animated sticker was uploaded
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
