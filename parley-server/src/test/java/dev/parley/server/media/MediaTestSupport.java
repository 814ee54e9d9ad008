package dev.parley.server.media;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.Seed;
import dev.parley.emulator.SeededBusiness;
import dev.parley.server.support.ApiTestBase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shared helpers of the media feature's contract tests: emulator businesses, integrations, raw HTTP. */
abstract class MediaTestSupport extends ApiTestBase {

    static final String INTEGRATIONS = "/api/v1/channels/whatsapp/integrations";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String metaId() {
        return "8" + ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L);
    }

    record Connected(TestOrg org, SeededBusiness biz, UUID integrationId, String webhookToken, String verifyToken) {
    }

    /** A business of its own in the emulator and its integration, made through the API. */
    Connected integration(CloudApiEmulator emulator, boolean subscribe) {
        TestOrg org = newOrg();
        SeededBusiness biz = emulator.seed(Seed.builder().appId(metaId()).appSecret("secret-" + metaId())
                .accessToken("EAAG-" + metaId()).wabaId(metaId()).phoneNumberId(metaId())
                .displayPhoneNumber("1555" + metaId().substring(1, 8)).verifiedName("Media Inc").build());
        String verifyToken = "vt-" + metaId();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", "Media line " + biz.phoneNumberId());
        b.put("app_id", biz.appId());
        b.put("app_secret", biz.appSecret());
        b.put("waba_id", biz.wabaId());
        b.put("phone_number_id", biz.phoneNumberId());
        b.put("access_token", biz.accessToken());
        b.put("verify_token", verifyToken);
        b.put("graph_base_url", emulator.baseUrl());
        Answer a = post(INTEGRATIONS, org.ownerToken(), json(b));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        String url = a.json().get("webhook_url").asString();
        String token = url.substring(url.lastIndexOf('/') + 1);
        if (subscribe) {
            emulator.subscribe(biz.wabaId(), "http://127.0.0.1:" + port + "/webhooks/whatsapp/" + token,
                    verifyToken);
            await().atMost(Duration.ofSeconds(20)).until(() -> emulator.webhookVerified(biz.appId()));
        }
        return new Connected(org, biz, UUID.fromString(a.json().get("id").asString()), token, verifyToken);
    }

    /** A GET answering the raw bytes. */
    HttpResponse<byte[]> bytes(String path, String token) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST /api/v1/media} as a browser or curl would send it. */
    Answer upload(String token, UUID integrationId, String filename, String mime, byte[] content) {
        String boundary = "----test" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"integration_id\"\r\n\r\n"
                + integrationId + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + mime + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/media"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build();
        try {
            HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            boolean isJson = resp.headers().firstValue("Content-Type").orElse("").contains("json");
            return new Answer(resp.statusCode(), resp.body(),
                    isJson && !resp.body().isEmpty() ? JSON.readTree(resp.body()) : null, resp);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
