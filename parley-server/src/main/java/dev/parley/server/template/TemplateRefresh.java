package dev.parley.server.template;

import java.util.UUID;

/** Syncs an integration's templates from Meta without a signed-in person (the scheduled sync). */
public interface TemplateRefresh {

    /**
     * Fetches every page of the integration's templates and replaces the stored list; answers how many are
     * stored. Throws {@code ApiException} (404 unknown integration, 502 Meta's error or unreachable); an
     * expired token also flags the integration.
     */
    int syncTemplates(UUID orgId, UUID integrationId);
}
