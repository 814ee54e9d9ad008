package dev.parley.server.sending;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.SeededBusiness;
import dev.parley.emulator.SentMessage;
import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import dev.parley.server.support.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent's inbox journeys in a real browser against the real emulator, on a channel connected like a user
 * connects one (signed webhooks): opening a conversation marks the customer's messages read at Meta and clears its
 * unread count; attachments from the reply box (refused before anything is queued when Meta would refuse them, the
 * typed text kept; otherwise uploaded to Meta and sent by media id, ticks going to read); a new conversation started
 * with a template (the number validated as the API validates it), which opens showing the message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ComposeJourneyBrowserContract extends ApiTestBase {

    static final String PASSWORD = "correct-horse-battery";
    /** A 1x1 PNG. */
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    CloudApiEmulator emulator;
    Browser browser;
    SeededBusiness biz;
    TestOrg org;
    UUID integrationId;
    Path files;
    final String customer = "1555" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);

    @BeforeAll
    void start() throws IOException {
        assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
        emulator = CloudApiEmulator.start(EmulatorOptions.builder().retryTimeScale(0.0001)
                .handshakeRetryInterval(Duration.ofMillis(200)).build());
        org = newOrg();
        String email = unique("agent");
        users.create(org.org().id(), "test", email, "Alex Agent", Role.AGENT, PASSWORD);
        biz = seedBusiness(emulator, "Acme Shoes");
        emulator.addTemplate(biz.wabaId(), "order_shipped", "en_US", "UTILITY", """
                [{"type":"BODY","text":"Hi {{1}}, your order {{2}} has shipped.",
                  "example":{"body_text":[["Ana","A-1001"]]}}]""", "APPROVED");
        integrationId = connect(emulator, org, biz, "Acme support", true).integrationId();
        Answer sync = post(INTEGRATIONS + "/" + integrationId + "/templates/sync", org.ownerToken(), "{}");
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);

        files = Files.createTempDirectory("parley-attachments-");
        browser = Browser.start(port);
        browser.signIn(email, PASSWORD);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (files != null) {
            try (Stream<Path> all = Files.walk(files)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Path file(String name, byte[] content) {
        try {
            return Files.write(files.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<SentMessage> sentTo(String waId) {
        return emulator.sent(biz.phoneNumberId()).stream().filter(m -> m.to().equals(waId)).toList();
    }

    /** The conversation item in the list with this text (the list re-renders live: looked up each time). */
    private Optional<WebElement> listed(String text) {
        return browser.all("#conv-list .conv").stream().filter(e -> e.getText().contains(text)).findFirst();
    }

    /** Attaches a file, types the caption and sends; waits until the reply box has answered (re-rendered). */
    private void attachAndSend(Path file, String caption) {
        WebElement form = browser.waitForElement("#reply-form");
        WebElement text = browser.find("#reply-text");
        text.clear();
        if (caption != null) {
            text.sendKeys(caption);
        }
        browser.find("#reply-file").sendKeys(file.toAbsolutePath().toString());
        browser.click("#send-reply");
        browser.waitFor(ExpectedConditions.stalenessOf(form));
    }

    private String replyError() {
        return browser.waitForElement("#composer-error").getText();
    }

    @Test
    @Order(1)
    void openingAConversationMarksTheCustomersMessagesReadAtMeta() {
        String first = emulator.inbound(biz.phoneNumberId(), customer, "Carla Reis",
                "{\"type\":\"text\",\"text\":{\"body\":\"Hello, I need a shipping label\"}}");
        String second = emulator.inbound(biz.phoneNumberId(), customer, "Carla Reis",
                "{\"type\":\"text\",\"text\":{\"body\":\"for a return\"}}");
        browser.open("/app/inbox");
        // (both carry the same second as Meta's timestamp and may arrive in either order: no "last message" here)
        browser.waitFor(d -> listed("Carla Reis").map(e -> e.findElement(By.cssSelector(".unread")).getText()
                .equals("2")).orElse(false));
        assertThat(emulator.inboundStatus(first)).isEqualTo("received");
        assertThat(emulator.inboundStatus(second)).isEqualTo("received");

        browser.waitFor(d -> {
            listed("Carla Reis").orElseThrow().click();
            return true;
        });
        assertThat(browser.waitForElement("#contact-name").getText()).isEqualTo("Carla Reis");
        assertThat(browser.find("#thread").getText()).contains("Hello, I need a shipping label").contains("for a return");
        // Meta is told (mark-as-read of the latest message marks the earlier ones too: blue ticks on her phone)
        await().atMost(Duration.ofSeconds(20)).until(() -> "read".equals(emulator.inboundStatus(second)));
        assertThat(emulator.inboundStatus(first)).isEqualTo("read");
        // and the unread count is gone, in the page and in the API
        browser.waitFor(d -> listed("Carla Reis").map(e -> e.findElements(By.cssSelector(".unread")).isEmpty())
                .orElse(false));
        JsonNode conversations = get("/api/v1/conversations?integration_id=" + integrationId, org.ownerToken()).json();
        assertThat(conversations.get("data").get(0).get("unread_count").asInt()).isZero();
    }

    @Test
    @Order(2)
    void attachmentsGoOutFromTheReplyBoxAndBadFilesAreRefusedFirst() {
        // Meta refuses a caption on audio: refused before anything is uploaded or queued, the text kept
        Path voice = file("voice-note.ogg", new byte[]{'O', 'g', 'g', 'S', 0, 2, 0, 0});
        attachAndSend(voice, "Here is your label");
        assertThat(replyError()).contains("voice-note.ogg was not sent").contains("caption");
        assertThat(browser.find("#reply-text").getDomProperty("value")).isEqualTo("Here is your label");

        // a type Meta does not take, and an image over Meta's 5 MB
        attachAndSend(file("label.zip", new byte[]{'P', 'K', 3, 4, 1}), "Here is your label");
        assertThat(replyError()).contains("label.zip was not sent").contains("does not accept");
        byte[] big = new byte[6 * 1024 * 1024];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        attachAndSend(file("huge.png", big), "Here is your label");
        assertThat(replyError()).contains("huge.png was not sent").contains("5 MB");
        assertThat(browser.find("#reply-text").getDomProperty("value")).isEqualTo("Here is your label");
        assertThat(sentTo(customer)).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM messages WHERE integration_id = ? AND direction = 'outbound'")
                .params(integrationId).query(Integer.class).single()).isZero();

        // a photo with its caption: uploaded to Meta, sent by its media id, the ticks go to read
        attachAndSend(file("label.png", PNG), "Here is your label");
        SentMessage image = await().atMost(Duration.ofSeconds(20)).until(
                () -> sentTo(customer).stream().filter(m -> m.type().equals("image")).findFirst(), Optional::isPresent)
                .orElseThrow();
        JsonNode request = JSON.readTree(image.requestBody());
        String mediaId = request.get("image").get("id").asString();
        assertThat(request.get("image").get("caption").asString()).isEqualTo("Here is your label");
        assertThat(request.get("image").has("link")).isFalse();
        assertThat(mediaAtMeta(mediaId).get("mime_type").asString()).isEqualTo("image/png");
        assertThat(browser.find("#reply-text").getDomProperty("value")).isEmpty();
        WebElement read = browser.waitFor(d -> d.findElements(By.cssSelector("#thread .msg.outbound.media")).stream()
                .filter(e -> e.getText().contains("Here is your label") && "read".equals(e.getDomAttribute("data-status")))
                .findFirst().orElse(null));
        assertThat(read.getText()).contains(mediaId);
        assertThat(read.findElement(By.cssSelector(".tick")).getDomAttribute("title")).startsWith("read");

        // a voice note without a caption, and a document keeping its file name
        attachAndSend(voice, null);
        attachAndSend(file("return-label.pdf", "%PDF-1.4 label".getBytes()), "Print this one");
        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(customer).size() == 3);
        JsonNode audio = JSON.readTree(sentTo(customer).stream().filter(m -> m.type().equals("audio")).findFirst()
                .orElseThrow().requestBody()).get("audio");
        assertThat(audio.has("caption")).isFalse();
        assertThat(mediaAtMeta(audio.get("id").asString()).get("mime_type").asString()).isEqualTo("audio/ogg");
        JsonNode document = JSON.readTree(sentTo(customer).stream().filter(m -> m.type().equals("document"))
                .findFirst().orElseThrow().requestBody()).get("document");
        assertThat(document.get("filename").asString()).isEqualTo("return-label.pdf");
        assertThat(document.get("caption").asString()).isEqualTo("Print this one");
        browser.waitFor(d -> d.findElements(By.cssSelector("#thread .msg.outbound[data-status='read']")).size() == 3);
        assertThat(browser.find("#thread").getText()).contains("return-label.pdf");
        browser.screenshot("attachments");
    }

    @Test
    @Order(3)
    void aNewConversationStartsWithATemplate() {
        String newCustomer = "4477" + ThreadLocalRandom.current().nextInt(10_000_000, 99_999_999);
        browser.open("/app/inbox");
        browser.click("#new-conversation");
        assertThat(new Select(browser.waitForElement("#new-channel")).getFirstSelectedOption().getText())
                .contains("Acme support");
        browser.type("#new-to", "+44 7700");
        new Select(browser.find("#new-template")).selectByVisibleText("order_shipped (en_US)");
        browser.waitForElement("#new-var-v0").sendKeys("Dora");
        browser.find("#new-var-v1").sendKeys("A-2042");
        browser.waitFor(d -> d.findElement(By.id("new-preview")).getText()
                .equals("Hi Dora, your order A-2042 has shipped."));
        assertThat(browser.all("#new-fields")).hasSize(1); // the fields were re-rendered in place, not nested
        assertThat(browser.all("#new-form form, #new-form .card")).isEmpty();
        browser.screenshot("new-conversation");
        browser.click("#new-send");
        // refused as the API refuses it; what was typed is still there
        assertThat(browser.waitForElement("#new-error").getText()).contains("E.164").doesNotContain("[to.invalid]");
        assertThat(browser.find("#new-to").getDomProperty("value")).isEqualTo("+44 7700");
        assertThat(browser.find("#new-var-v1").getDomProperty("value")).isEqualTo("A-2042");
        assertThat(emulator.sent(biz.phoneNumberId()).stream().filter(m -> m.type().equals("template"))).isEmpty();

        browser.type("#new-to", "+" + newCustomer.substring(0, 2) + " " + newCustomer.substring(2));
        browser.click("#new-send");
        // the new conversation opens with the queued message; its ticks follow Meta's statuses to read
        browser.waitFor(d -> d.getCurrentUrl().matches(".*/app/inbox/[0-9a-f-]{36}$"));
        assertThat(browser.waitForElement("#contact-name").getText()).isEqualTo("+" + newCustomer);
        WebElement sent = browser.waitFor(d -> d.findElements(By.cssSelector("#thread .msg.outbound.template"))
                .stream().filter(e -> "read".equals(e.getDomAttribute("data-status"))).findFirst().orElse(null));
        assertThat(sent.getText()).contains("order_shipped").contains("Dora").contains("A-2042");
        assertThat(browser.find("#window-state").getText()).contains("closed");

        SentMessage template = sentTo(newCustomer).get(0);
        JsonNode t = JSON.readTree(template.requestBody()).get("template");
        assertThat(t.get("name").asString()).isEqualTo("order_shipped");
        assertThat(t.get("language").get("code").asString()).isEqualTo("en_US");
        JsonNode parameters = t.get("components").get(0).get("parameters");
        assertThat(parameters.get(0).get("text").asString()).isEqualTo("Dora");
        assertThat(parameters.get(1).get("text").asString()).isEqualTo("A-2042");
        assertThat(sentTo(newCustomer)).hasSize(1);

        // the filters: by state (the new conversation's window is closed, Carla's open) and by channel
        new Select(browser.find("#filter-state")).selectByValue("closed");
        browser.click("#filters button");
        browser.waitFor(d -> d.getCurrentUrl().contains("state=closed"));
        assertThat(browser.waitForElement("#conv-list").getText()).contains("+" + newCustomer)
                .doesNotContain("Carla Reis");
        browser.open("/app/inbox?state=open&channel=" + integrationId);
        assertThat(browser.waitForElement("#conv-list").getText()).contains("Carla Reis")
                .doesNotContain("+" + newCustomer);
        browser.open("/app/inbox?channel=" + UUID.randomUUID());
        assertThat(browser.waitForElement("#conv-list").getText()).contains("No conversations");
    }

    /** Meta's view of an uploaded media id ({@code GET /{media_id}}): it exists and has this type. */
    private JsonNode mediaAtMeta(String mediaId) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v25.0/" + mediaId))
                .header("Authorization", "Bearer " + biz.accessToken()).GET().build();
        HttpResponse<String> answer = exchange(HttpClient.newHttpClient(), r, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }
}
