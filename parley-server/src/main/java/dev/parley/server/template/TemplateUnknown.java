package dev.parley.server.template;

import java.util.UUID;

/**
 * Published (Spring application event, inside the storing transaction) when a template webhook names a template
 * Parley had not stored yet: its components are unknown until the next sync.
 */
public record TemplateUnknown(UUID orgId, UUID integrationId, String name, String language) {
}
