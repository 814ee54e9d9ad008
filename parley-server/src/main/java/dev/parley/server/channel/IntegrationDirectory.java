package dev.parley.server.channel;

import java.util.Optional;
import java.util.UUID;

/**
 * Finds integrations for the webhook path. Fast (cached, invalidated on every change) because it sits on the
 * hot path of every webhook. Deleted integrations are never found; disabled ones are found with
 * {@code enabled = false} so the caller can say why it refuses.
 */
public interface IntegrationDirectory {

    /** By the opaque token of {@code /webhooks/whatsapp/{token}}. */
    Optional<IntegrationRoute> byWebhookToken(String webhookToken);

    /** By verify token (the global URL's GET handshake); looked up through a fingerprint, never plaintext. */
    Optional<IntegrationRoute> byVerifyToken(String verifyToken);

    /** By Meta's phone number id (the global URL's POST routing). */
    Optional<IntegrationRoute> byPhoneNumberId(String phoneNumberId);

    Optional<IntegrationRoute> byId(UUID integrationId);

    /**
     * Live integrations of a WhatsApp Business Account: changes without a {@code metadata.phone_number_id}
     * ({@code message_template_status_update}, {@code account_update}, ...) are routed by {@code entry[].id}.
     * The default finds none (the webhook then falls back to the integration of the URL it came to).
     */
    default java.util.List<IntegrationRoute> byWabaId(String wabaId) {
        return java.util.List.of();
    }
}
