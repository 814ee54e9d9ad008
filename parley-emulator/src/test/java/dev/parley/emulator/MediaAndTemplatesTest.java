package dev.parley.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MediaAndTemplatesTest extends EmulatorTestBase {

    private HttpResponse<String> upload(byte[] bytes, String mime, boolean withProduct) {
        String boundary = "----emu" + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        if (withProduct) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n").append(mime).append("\r\n");
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n")
                .append("Content-Type: ").append(mime).append("\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(graph(biz.phoneNumberId() + "/media")))
                .header("Authorization", "Bearer " + biz.accessToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build());
    }

    private HttpResponse<byte[]> download(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void mediaUploadGetDownloadExpireDelete() throws Exception {
        start(fastOptions().mediaUrlTtl(Duration.ofMillis(1500)).build(), false);
        byte[] pdf = "%PDF-1.4 emulated".getBytes(StandardCharsets.US_ASCII);
        var up = upload(pdf, "application/pdf", true);
        assertThat(up.statusCode()).isEqualTo(200);
        String id = json(up).path("id").asString();
        assertThat(id).matches("\\d+");

        JsonNode meta = json(get(id));
        assertThat(new ArrayList<>(meta.propertyNames())).containsExactly("url", "mime_type", "sha256", "file_size", "id",
                "messaging_product");
        assertThat(meta.path("mime_type").asString()).isEqualTo("application/pdf");
        assertThat(meta.path("file_size").asInt()).isEqualTo(pdf.length);
        assertThat(meta.path("sha256").asString()).isEqualTo(CloudApiEmulator.sha256Hex(pdf));
        String url = meta.path("url").asString();
        assertThat(url).startsWith(emu.baseUrl() + "/_lookaside/");

        var bytes = download(url, biz.accessToken());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(bytes.body()).isEqualTo(pdf);
        assertThat(download(url, null).statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> download(url, biz.accessToken()).statusCode() == 404);
        // a fresh URL works again
        assertThat(download(json(get(id)).path("url").asString(), biz.accessToken()).statusCode()).isEqualTo(200);

        // the uploaded id can be sent (inside the window)
        emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        var sendDoc = post(biz.phoneNumberId() + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER
                + "\",\"type\":\"document\",\"document\":{\"id\":\"" + id + "\",\"filename\":\"a.pdf\",\"caption\":\"doc\"}}");
        assertThat(sendDoc.statusCode()).isEqualTo(200);

        assertThat(json(delete(id)).path("success").asBoolean()).isTrue();
        var gone = get(id);
        assertThat(errorCode(gone)).isEqualTo(100);
        assertThat(json(gone).path("error").path("error_subcode").asInt()).isEqualTo(33);
    }

    @Test
    void mediaUploadLimits() throws Exception {
        start(fastOptions().build(), false);
        var html = upload("<html/>".getBytes(StandardCharsets.US_ASCII), "text/html", true);
        assertThat(errorCode(html)).isEqualTo(131053);
        var big = upload(new byte[5 * 1024 * 1024 + 1], "image/png", true);
        assertThat(errorCode(big)).isEqualTo(131053);
        assertThat(json(big).path("error").path("error_data").path("details").asString()).contains("at most");
        assertThat(errorCode(upload(new byte[10], "image/png", false))).isEqualTo(100);
    }

    @Test
    void mediaIdOfTheWrongKindFailsAsynchronouslyWith131053() throws Exception {
        start();
        String id = json(upload(new byte[] {1, 2, 3}, "image/png", true)).path("id").asString();
        emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        var r = post(biz.phoneNumberId() + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER
                + "\",\"type\":\"video\",\"video\":{\"id\":\"" + id + "\"}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode failed = awaitStatus(wamidOf(r), "failed");
        assertThat(failed.path("errors").get(0).path("code").asInt()).isEqualTo(131053);
        assertThat(failed.path("errors").get(0).path("error_data").path("details").asString())
                .isEqualTo("Unsupported Video mime type image/png. Please use one of video/3gpp, video/mp4.");
    }

    private String createTemplate(String name, String language) {
        var r = post(biz.wabaId() + "/message_templates", "{\"name\":\"" + name + "\",\"language\":\"" + language
                + "\",\"category\":\"MARKETING\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}}\","
                + "\"example\":{\"body_text\":[[\"Ana\"]]}}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).path("id").asString();
    }

    @Test
    void templateCreateValidatesNamesAndDuplicates() throws Exception {
        start(fastOptions().build(), false);
        createTemplate("promo_one", "en_US");
        var bad = post(biz.wabaId() + "/message_templates", "{\"name\":\"Promo-One\",\"language\":\"en_US\",\"category\":\"MARKETING\","
                + "\"components\":[{\"type\":\"BODY\",\"text\":\"x\"}]}");
        assertThat(errorCode(bad)).isEqualTo(100);
        var dup = post(biz.wabaId() + "/message_templates", "{\"name\":\"promo_one\",\"language\":\"en_US\",\"category\":\"MARKETING\","
                + "\"components\":[{\"type\":\"BODY\",\"text\":\"x\"}]}");
        assertThat(errorCode(dup)).isEqualTo(100);
        assertThat(json(dup).path("error").path("error_subcode").asInt()).isEqualTo(2388024);
        createTemplate("promo_one", "pt_BR");   // another language is fine
        // a PENDING template cannot be sent yet
        emu.inbound(biz.phoneNumberId(), CUSTOMER, "Ana", "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        String sendPromo = "{\"messaging_product\":\"whatsapp\",\"to\":\"" + CUSTOMER + "\",\"type\":\"template\",\"template\":"
                + "{\"name\":\"promo_one\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"body\",\"parameters\":"
                + "[{\"type\":\"text\",\"text\":\"Ana\"}]}]}}";
        assertThat(errorCode(post(biz.phoneNumberId() + "/messages", sendPromo))).isEqualTo(132001);
        emu.approveTemplate(emu.templateId(biz.wabaId(), "promo_one", "en_US"));
        assertThat(post(biz.phoneNumberId() + "/messages", sendPromo).statusCode()).isEqualTo(200);
    }

    @Test
    void templateListPagesWithCursorsAndFiltersAndDeleteRemovesAllLanguages() throws Exception {
        start(fastOptions().build(), false);
        createTemplate("t_a", "en_US");
        createTemplate("t_a", "es");
        createTemplate("t_b", "en_US");
        createTemplate("t_c", "en_US");   // + hello_world = 5 templates
        List<String> names = new ArrayList<>();
        String next = graph(biz.wabaId() + "/message_templates?limit=2&fields=name,status,language");
        int pages = 0;
        while (next != null) {
            JsonNode page = json(get(next));
            pages++;
            assertThat(page.path("data").size()).isLessThanOrEqualTo(2);
            for (JsonNode t : page.path("data")) {
                assertThat(new ArrayList<>(t.propertyNames())).containsExactly("name", "status", "language", "id");
                names.add(t.path("name").asString() + "/" + t.path("language").asString());
            }
            assertThat(page.path("paging").path("cursors").has("after")).isTrue();
            next = page.path("paging").has("next") ? page.path("paging").path("next").asString() : null;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("hello_world/en_US", "t_a/en_US", "t_a/es", "t_b/en_US", "t_c/en_US");

        JsonNode approved = json(get(biz.wabaId() + "/message_templates?status=APPROVED"));
        assertThat(approved.path("data")).hasSize(1);
        assertThat(approved.path("data").get(0).path("name").asString()).isEqualTo("hello_world");
        JsonNode full = approved.path("data").get(0);
        assertThat(new ArrayList<>(full.propertyNames())).containsExactly("name", "parameter_format", "components",
                "language", "status", "category", "id");

        assertThat(json(delete(biz.wabaId() + "/message_templates?name=t_a")).path("success").asBoolean()).isTrue();
        String tb = emu.templateId(biz.wabaId(), "t_b", "en_US");
        assertThat(json(delete(biz.wabaId() + "/message_templates?name=t_b&hsm_id=" + tb)).path("success").asBoolean()).isTrue();
        JsonNode left = json(get(biz.wabaId() + "/message_templates"));
        assertThat(left.path("data").size()).isEqualTo(2);
        assertThat(errorCode(delete(biz.wabaId() + "/message_templates?name=t_a"))).isEqualTo(100);
    }
}
