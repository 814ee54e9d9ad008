package dev.parley.server.channel;

import java.util.UUID;

/** What other features need to call Meta for one integration (no secrets). */
public record IntegrationRef(UUID integrationId, UUID orgId, String wabaId, String phoneNumberId, boolean enabled) {
}
