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
}
