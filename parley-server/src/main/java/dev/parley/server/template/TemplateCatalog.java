package dev.parley.server.template;

import tools.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.UUID;

/** Read access to an integration's message templates, for checking a send before it is queued. */
public interface TemplateCatalog {

    /**
     * One template as last synced or updated by webhook.
     *
     * @param status          Meta's status ({@code APPROVED}, {@code REJECTED}, {@code PAUSED}, ...); null if unknown
     * @param rejectionReason Meta's reason for a rejection, or null
     * @param parameterFormat {@code POSITIONAL} or {@code NAMED}, null when unknown
     * @param components      Meta's components ({@code HEADER}, {@code BODY}, {@code BUTTONS}, ...); null when the
     *                        template was only seen in a webhook and never synced
     */
    record Template(String name, String language, String status, String rejectionReason, String parameterFormat,
                    JsonNode components) {
    }

    /** The template of that integration with that name and language, within the organization. */
    Optional<Template> find(UUID orgId, UUID integrationId, String name, String language);
}
