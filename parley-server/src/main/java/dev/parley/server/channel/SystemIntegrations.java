package dev.parley.server.channel;

import java.util.UUID;

/**
 * Integrations that Parley itself creates and maintains (the sandbox channel), on behalf of the system rather
 * than a signed-in person. Changes are audited with the actor {@code system} like any other change.
 */
public interface SystemIntegrations {

    /** What to create. Secrets are encrypted like any integration's; the verify token is generated. */
    record Spec(String name, String appId, String appSecret, String wabaId, String phoneNumberId,
                String accessToken, String graphBaseUrl) {

        @Override
        public String toString() {
            return "Spec[" + name + ", phone " + phoneNumberId + ", " + graphBaseUrl + "]";
        }
    }

    /** Creates the integration in the organization and answers its id. */
    UUID create(UUID orgId, Spec spec);

    /**
     * Points the integration at another Graph API base URL (e.g. the sandbox emulator's port of this run);
     * nothing happens when it already points there. Answers false when the integration no longer exists.
     */
    boolean pointAt(UUID orgId, UUID integrationId, String graphBaseUrl);
}
