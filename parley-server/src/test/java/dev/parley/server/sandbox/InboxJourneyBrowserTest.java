package dev.parley.server.sandbox;

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
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The inbox journeys in a real browser (H2), on the sandbox channel: the sandbox phone plays the customer in one tab
 * while the agent works the inbox in another. A customer message appears live, the agent replies and the ticks go
 * to read, the phone answers a button and reacts, a template goes out once the window is closed; and hostile
 * content sent through the webhook path is shown as text, never run.
 */
@TestPropertySource(properties = "parley.sandbox.enabled=true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InboxJourneyBrowserTest extends ApiTestBase {

    @Autowired
    Sandbox sandbox;
    Browser browser;
    String inboxTab;
    String phoneTab;

    @BeforeAll
    void start() {
        assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.info().isPresent());
        browser = Browser.start(port);
        browser.signIn("owner@default.test", "test-owner-password");
        // the sandbox's templates (hello_world), as an owner would with "Sync now"
        String integration = sandbox.info().orElseThrow().integrationId().toString();
        assertThat(post("/api/v1/channels/whatsapp/integrations/" + integration + "/templates/sync",
                BOOTSTRAP_TOKEN, "{}").status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    static String number() {
        return "1555" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
    }

    private void toInbox() {
        browser.driver.switchTo().window(inboxTab);
    }

    private void toPhone() {
        browser.driver.switchTo().window(phoneTab);
    }

    private void phoneSays(String text) {
        browser.type("#phone-text", text);
        browser.click("#phone-send");
    }

    /** Waits for a conversation in the list whose text has all the parts (the list re-renders live). */
    private void conversationShows(String... parts) {
        browser.waitFor(d -> d.findElements(By.cssSelector("#conv-list .conv")).stream()
                .map(WebElement::getText).anyMatch(t -> java.util.Arrays.stream(parts).allMatch(t::contains)));
    }

    /** Opens a conversation by a part of its text; finding and clicking in one step, as the list re-renders live. */
    private void open(String name) {
        browser.waitFor(d -> {
            d.findElements(By.cssSelector("#conv-list .conv")).stream().filter(e -> e.getText().contains(name))
                    .findFirst().orElseThrow().click();
            return true;
        });
    }

    @Test
    @Order(1)
    void customerAndAgentTalkLive() {
        String customer = number();
        browser.open("/app/inbox");
        inboxTab = browser.driver.getWindowHandle();
        browser.waitForElement("#conv-list");

        // the customer writes from the sandbox phone (another tab)
        browser.driver.switchTo().newWindow(WindowType.TAB);
        phoneTab = browser.driver.getWindowHandle();
        browser.open("/app/sandbox?as=" + customer + "&name=Ana%20Lima");
        phoneSays("Hi! Is my order on its way?");
        browser.waitFor(d -> d.findElement(By.id("phone-chat")).getText().contains("Is my order on its way?"));

        // it appears in the open inbox without a reload: unread count, last message, the window's time left
        toInbox();
        browser.waitFor(d -> d.findElements(By.cssSelector("#conv-list .conv")).stream()
                .anyMatch(e -> e.getText().contains("Ana Lima") && e.getText().contains("Is my order on its way?")
                        && e.getText().contains("left")
                        && e.findElement(By.cssSelector(".unread")).getText().equals("1")));
        browser.screenshot("inbox");
        open("Ana Lima");
        assertThat(browser.waitForElement("#contact-name").getText()).isEqualTo("Ana Lima");
        assertThat(browser.find("#thread").getText()).contains("Is my order on its way?");

        // a second message arrives live in the open thread
        toPhone();
        phoneSays("It was order A-1077");
        toInbox();
        browser.waitFor(d -> d.findElement(By.id("thread")).getText().contains("order A-1077"));

        // the agent replies; the ticks go sent -> delivered -> read as the (emulated) customer reads it
        browser.waitForElement("#reply-text").sendKeys("Yes, it ships today.");
        browser.click("#send-reply");
        browser.waitFor(d -> d.findElement(By.id("thread")).getText().contains("Yes, it ships today."));
        WebElement read = browser.waitForElement(".msg.outbound[data-status='read']");
        assertThat(read.getText()).contains("Yes, it ships today.");
        assertThat(read.findElement(By.cssSelector(".tick")).getDomAttribute("title")).startsWith("read");
        browser.screenshot("conversation");

        // the phone shows the reply; the business asks with buttons (through the API), the customer taps one
        toPhone();
        browser.waitFor(d -> d.findElement(By.id("phone-chat")).getText().contains("Yes, it ships today."));
        assertThat(post("/api/v1/messages", BOOTSTRAP_TOKEN, json(java.util.Map.of(
                "integration_id", sandbox.info().orElseThrow().integrationId().toString(), "to", customer,
                "type", "interactive", "interactive", java.util.Map.of("type", "button",
                        "body", java.util.Map.of("text", "Shall we deliver to your home address?"),
                        "action", java.util.Map.of("buttons", java.util.List.of(
                                java.util.Map.of("type", "reply", "reply", java.util.Map.of("id", "home", "title", "Yes, home")),
                                java.util.Map.of("type", "reply", "reply", java.util.Map.of("id", "pickup", "title", "Pick-up")))))))
        ).status()).isEqualTo(202);
        // the phone re-renders its chat every 2 seconds: find and tap in one step
        browser.waitFor(d -> {
            d.findElements(By.cssSelector("#phone-chat button.choice")).stream()
                    .filter(b -> b.getText().equals("Yes, home")).findFirst().orElseThrow().click();
            return true;
        });
        browser.screenshot("sandbox-phone");
        // and reacts to the reply
        browser.waitFor(d -> {
            d.findElements(By.cssSelector("#phone-chat .from-business")).stream()
                    .filter(e -> e.getText().contains("Yes, it ships today.")).findFirst().orElseThrow()
                    .findElement(By.cssSelector("button.react")).click();
            return true;
        });

        toInbox();
        // the button reply, quoting the question it answers (the thread re-renders live, so wait for it whole)
        browser.waitFor(d -> d.findElements(By.cssSelector("#thread .msg.choice")).stream()
                .map(WebElement::getText).anyMatch(t -> t.contains("Yes, home")
                        && t.toLowerCase(java.util.Locale.ROOT).contains("button reply") && t.contains("Shall we deliver")));
        browser.waitFor(d -> d.findElements(By.cssSelector("#thread .msg.outbound")).stream()
                .anyMatch(e -> e.getText().contains("Yes, it ships today.") && e.getText().contains("👍")));

        // a photo: shown inline from Parley's copy of the file once the media step has downloaded it
        toPhone();
        new org.openqa.selenium.support.ui.Select(browser.find("#phone-kind")).selectByValue("image");
        phoneSays("the box arrived damaged");
        toInbox();
        String href = browser.waitFor(d -> d.findElements(By.cssSelector("#thread .msg.media")).stream()
                .filter(e -> e.getText().contains("the box arrived damaged")).findFirst()
                .map(e -> e.findElement(By.cssSelector("a.download")).getDomAttribute("href")).orElse(null));
        assertThat(href).startsWith("/app/media/");
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(200).equals(
                ((JavascriptExecutor) browser.driver).executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => done(r.status), () => done(0));", href)));
    }

    @Test
    @Order(2)
    void aTemplateGoesOutWhenTheWindowIsClosed() {
        String customer = number();
        toPhone();
        browser.open("/app/sandbox?as=" + customer + "&name=Bruno");
        phoneSays("Hello there");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/conversations?limit=200", BOOTSTRAP_TOKEN)
                .body().contains(customer));
        toInbox();
        // a day passes: the customer's window closes
        jdbc.sql("UPDATE conversations SET window_expires_at = ? WHERE id IN (SELECT c.id FROM conversations c "
                        + "JOIN contacts k ON k.id = c.contact_id WHERE k.wa_id = ?)")
                .params(java.time.OffsetDateTime.now().minusHours(2), customer).update();
        browser.open("/app/inbox");
        open("Bruno");
        assertThat(browser.waitForElement("#window-closed").getText()).contains("window is closed");
        assertThat(browser.all("#reply-text")).isEmpty();
        org.openqa.selenium.support.ui.Select select =
                new org.openqa.selenium.support.ui.Select(browser.waitForElement("#template-choice"));
        select.selectByVisibleText("hello_world (en_US)");
        assertThat(browser.waitForElement("#template-preview").getText()).contains("Hello World");
        browser.screenshot("template-picker");
        browser.click("#send-template");
        browser.waitFor(d -> d.findElements(By.cssSelector("#thread .msg.outbound")).stream()
                .anyMatch(e -> e.getText().contains("Template hello_world")));
        toPhone();
        browser.waitFor(d -> d.findElement(By.id("phone-chat")).getText().contains("Template hello_world"));
        toInbox();
    }

    @Test
    @Order(3)
    void hostileContentIsShownAsTextAndNeverRuns() {
        String customer = number();
        String name = "<img src=x onerror=\"window.__pwned=1\">Eve";
        sandbox.customerSends(customer, name, "{\"type\":\"text\",\"text\":{\"body\":"
                + "\"<script>window.__pwned=2</script><a href=\\\"javascript:window.__pwned=3\\\">click</a>\"}}");
        sandbox.customerSends(customer, name, "{\"type\":\"location\",\"location\":{\"latitude\":1.5,\"longitude\":2.5,"
                + "\"name\":\"<b onmouseover=window.__pwned=4>Shop</b>\",\"url\":\"javascript:window.__pwned=5\"}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/conversations?limit=200", BOOTSTRAP_TOKEN)
                .body().contains(customer));
        browser.open("/app/inbox");
        conversationShows("Eve", "<img src=x onerror=");
        open("Eve");
        browser.waitFor(d -> d.findElement(By.id("thread")).getText().contains("<b onmouseover"));
        String thread = browser.find("#thread").getText();
        assertThat(thread).contains("<script>window.__pwned=2</script>").contains("javascript:window.__pwned=3");
        assertThat(browser.all("#thread script, #thread img, #thread b, #conv-list img")).isEmpty();
        assertThat(browser.all("a[href^='javascript']")).isEmpty();
        assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        Object pwned = ((JavascriptExecutor) browser.driver).executeScript("return window.__pwned === undefined;");
        assertThat(pwned).isEqualTo(true);
    }
}
