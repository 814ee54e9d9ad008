package dev.parley.server.channel;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The URLs to paste into Meta's app dashboard. Built from {@code parley.public-url} ({@code PARLEY_PUBLIC_URL});
 * when that is unset, from {@code http://localhost:<the port Parley actually listens on>}.
 */
@Component
class PublicUrls {

    static final String WEBHOOK_PATH = "/webhooks/whatsapp";

    private final String configured;
    private final Environment env;

    PublicUrls(@Value("${parley.public-url:}") String configured, Environment env) {
        this.configured = configured == null ? "" : configured.strip();
        this.env = env;
    }

    String base() {
        String base = configured;
        if (base.isEmpty()) {
            base = "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    String webhookUrl(String webhookToken) {
        return base() + WEBHOOK_PATH + "/" + webhookToken;
    }

    String globalWebhookUrl() {
        return base() + WEBHOOK_PATH;
    }
}
