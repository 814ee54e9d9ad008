package dev.parley.server.template;

import dev.parley.cloudapi.webhook.TemplateCategoryUpdate;
import dev.parley.cloudapi.webhook.TemplateStatusUpdate;

import java.util.UUID;

/** The template feature's entry point for {@code message_template_status_update} and category webhooks. */
public interface TemplateUpdates {

    void statusUpdated(UUID orgId, UUID integrationId, TemplateStatusUpdate update);

    void categoryUpdated(UUID orgId, UUID integrationId, TemplateCategoryUpdate update);
}
