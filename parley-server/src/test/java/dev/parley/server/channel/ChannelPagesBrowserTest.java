package dev.parley.server.channel;

import dev.parley.emulator.CloudApiEmulator;
import dev.parley.emulator.EmulatorOptions;
import dev.parley.emulator.SeededBusiness;
import dev.parley.server.identity.Role;
import dev.parley.server.support.ApiTestBase;
import dev.parley.server.support.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The channel journey in a real browser (H2): sign in, create a channel with the values Meta shows, paste its
 * webhook URL and verify token into "Meta" (the emulator), test the connection (green check with the number and
 * verified name), sync templates, break the token and see Meta's hint, disable, sign out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelPagesBrowserTest extends ApiTestBase {

    static final String PASSWORD = "correct-horse-battery";
    CloudApiEmulator emulator;
    Browser browser;

    @BeforeAll
    void start() {
        assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
        emulator = CloudApiEmulator.start(EmulatorOptions.builder().handshakeRetryInterval(Duration.ofMillis(200))
                .build());
        browser = Browser.start(port);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void ownerConnectsAChannelToMeta() {
        TestOrg org = newOrg();
        String email = unique("owner");
        users.create(org.org().id(), "test", email, "Olga Owner", Role.OWNER, PASSWORD);
        SeededBusiness biz = seedBusiness(emulator, "+1 555-010-4477", "Acme Shoes");

        // signed out: the pages send the browser to the sign-in page; a wrong password is refused
        browser.open("/app/channels");
        assertThat(browser.url()).contains("/login");
        browser.type("#email", email);
        browser.type("#password", "wrong password!!");
        browser.click("#sign-in");
        assertThat(browser.waitForElement(".flash.error").getText()).contains("do not match");
        browser.signIn(email, PASSWORD);

        browser.open("/app/channels");
        browser.screenshot("channels-empty");
        browser.click("#new-channel");
        browser.type("#name", "Acme support");
        browser.type("#appId", biz.appId());
        browser.type("#appSecret", biz.appSecret());
        browser.type("#wabaId", biz.wabaId());
        browser.type("#phoneNumberId", biz.phoneNumberId());
        browser.type("#accessToken", biz.accessToken());
        browser.type("#graphBaseUrl", emulator.baseUrl());
        browser.click("#save-channel");

        assertThat(browser.waitForElement("#channel-name").getText()).isEqualTo("Acme support");
        String page = browser.driver.getPageSource();
        assertThat(page).doesNotContain(biz.appSecret()).doesNotContain(biz.accessToken());
        String webhookUrl = browser.find("#webhook-url").getDomProperty("value");
        String verifyToken = browser.find("#verify-token").getDomProperty("value");
        assertThat(webhookUrl).contains("/webhooks/whatsapp/");
        assertThat(verifyToken).hasSizeGreaterThanOrEqualTo(20);

        // the user pastes both into Meta; Meta's handshake succeeds against Parley
        emulator.subscribe(biz.wabaId(), webhookUrl, verifyToken);
        await().atMost(Duration.ofSeconds(20)).until(() -> emulator.webhookVerified(biz.appId()));

        browser.click("#test-connection");
        String ok = browser.waitForElement("#test-ok").getText();
        assertThat(ok).contains("+1 555-010-4477").contains("Acme Shoes");
        browser.screenshot("channel");

        // templates: "Sync now" fetches Meta's (the emulator's seeded hello_world)
        browser.click("#templates-link");
        browser.click("#sync-templates");
        assertThat(browser.waitForElement("#templates").getText()).contains("hello_world").contains("APPROVED");

        // the list shows the health at a glance
        browser.open("/app/channels");
        String row = browser.waitForElement("#channels").getText();
        assertThat(row).contains("Acme support").contains("✓ ok").contains("+1 555-010-4477");
        browser.screenshot("channels");

        // a token Meta refuses: the test shows Meta's code and the hint; the list says it needs new credentials
        browser.click("#channels a");
        browser.click("#edit-channel");
        assertThat(browser.find("#accessToken").getDomProperty("value")).isEmpty();
        assertThat(browser.driver.getPageSource()).doesNotContain(biz.accessToken()).doesNotContain(biz.appSecret());
        browser.type("#accessToken", "EAAG-not-a-valid-token");
        browser.click("#save-channel");
        browser.waitForElement("#flash");
        browser.click("#test-connection");
        String error = browser.waitForElement("#test-error").getText();
        assertThat(error).contains("190").contains("System User");
        browser.open("/app/channels");
        assertThat(browser.waitForElement("#channels").getText()).contains("needs new credentials");

        // the owners were notified (badge in the top bar), the audit log has it all
        assertThat(browser.waitForElement("#notification-badge .pill").getText()).isNotBlank();
        browser.click("#notifications-link");
        assertThat(browser.waitForElement("main").getText()).containsIgnoringCase("credentials");
        browser.screenshot("notifications");
        browser.open("/app/audit");
        assertThat(browser.waitForElement("#audit-events").getText()).contains("integration.created")
                .contains("integration.tested").contains("templates.synced");
        browser.screenshot("audit-log");
        browser.open("/app/webhook-events");
        assertThat(browser.waitForElement("h1").getText()).contains("Webhook events");
        // an API token, shown once
        browser.open("/app/people");
        browser.type("#token-name", "CRM sync");
        browser.click("#create-token");
        assertThat(browser.waitForElement("#new-token").getDomProperty("value")).startsWith("prl_");
        assertThat(browser.find("#tokens").getText()).contains("CRM sync");
        browser.screenshot("people");

        // disable
        browser.open("/app/channels");
        browser.click("#channels a");
        browser.click("#toggle-enabled");
        assertThat(browser.waitForElement("#flash").getText()).contains("Disabled");
        assertThat(browser.find("h1").getText()).contains("disabled");

        // sign out: the session is gone
        browser.click("#sign-out");
        browser.waitFor(d -> d.getCurrentUrl().contains("/login"));
        browser.open("/app/channels/" + UUID.randomUUID());
        assertThat(browser.url()).contains("/login");
    }
}
