package dev.parley.server.media;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.server.support.ApiTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** Shared helpers of the media feature's contract tests: emulator businesses, integrations, raw HTTP. */
abstract class MediaTestSupport extends ApiTestBase {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Meta for each test class (each test makes a business of its own); retries and batching shrunk. */
    static CloudApiEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = CloudApiEmulator.start(EmulatorOptions.builder().retryTimeScale(0.0001)
                .batchWindow(Duration.ofMillis(20)).handshakeRetryInterval(Duration.ofMillis(100)).build());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    /** A business of its own in the emulator and its integration in a new organization, made through the API. */
    Connected integration(boolean subscribe) {
        return connect(emulator, newOrg(), "Media line", subscribe);
    }

    /** A GET answering the raw bytes. */
    HttpResponse<byte[]> bytes(String path, String token) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).GET().build();
        return exchange(HTTP, r, HttpResponse.BodyHandlers.ofByteArray());
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
        return answer(exchange(HTTP, r, HttpResponse.BodyHandlers.ofString()));
    }
}
