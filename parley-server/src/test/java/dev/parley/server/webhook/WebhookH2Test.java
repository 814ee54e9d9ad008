package dev.parley.server.webhook;

class WebhookH2Test extends WebhookContract {
}
