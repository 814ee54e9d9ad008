package dev.parley.server.channel;

import java.util.UUID;

/**
 * What the webhook feature needs to know about one WhatsApp integration to route and check a delivery.
 * Secrets are decrypted here because the webhook needs them (HMAC key, handshake token); never log this record
 * ({@link #toString()} masks them).
 *
 * @param appSecret   the Meta app secret, or null when none was configured (every POST is then refused)
 * @param verifyToken the handshake verify token (plaintext)
 * @param webhookToken the opaque token of this integration's own URL {@code /webhooks/whatsapp/{token}}
 */
public record IntegrationRoute(UUID integrationId, UUID orgId, String name, boolean enabled, String appId,
                               String wabaId, String phoneNumberId, String appSecret, String verifyToken,
                               String webhookToken) {

    public boolean hasAppSecret() {
        return appSecret != null && !appSecret.isEmpty();
    }

    @Override
    public String toString() {
        return "IntegrationRoute[" + integrationId + ", org " + orgId + ", phone " + phoneNumberId + ", enabled "
                + enabled + "]";
    }
}
