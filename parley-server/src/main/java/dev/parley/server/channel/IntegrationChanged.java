package dev.parley.server.channel;

import java.util.UUID;

/** Published (Spring application event) after an integration is created, updated, enabled/disabled or deleted. */
public record IntegrationChanged(UUID orgId, UUID integrationId, Kind kind) {

    public enum Kind { CREATED, UPDATED, DELETED, CREDENTIALS_REJECTED }
}
