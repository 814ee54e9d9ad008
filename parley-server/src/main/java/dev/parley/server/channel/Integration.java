package dev.parley.server.channel;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One stored WhatsApp integration, secrets still encrypted (the {@code *Enc} fields). Internal to the channel feature. */
record Integration(UUID id, UUID orgId, String name, String appId, String appSecretEnc, String wabaId,
                   String phoneNumberId, String displayPhoneNumber, String verifiedName, String accessTokenEnc,
                   String verifyTokenEnc, String webhookToken, boolean enabled, String graphBaseUrl,
                   String graphApiVersion, boolean needsNewCredentials, String credentialsProblem,
                   OffsetDateTime lastTestAt, String lastTestStatus, Integer lastTestCode, String lastTestMessage,
                   OffsetDateTime lastWebhookAt, OffsetDateTime lastRejectedAt, String lastRejectedReason,
                   String accountAlertField, String accountAlertEvent, OffsetDateTime accountAlertAt,
                   OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    static final String TABLE = "whatsapp_integrations";
    static final String APP_SECRET = "app_secret";
    static final String ACCESS_TOKEN = "access_token";
    static final String VERIFY_TOKEN = "verify_token";
    /** {@code Fingerprints} purpose of the verify-token lookup column. */
    static final String VERIFY_TOKEN_PURPOSE = "whatsapp.verify_token";

    static final String COLUMNS = "id, org_id, name, app_id, app_secret_enc, waba_id, phone_number_id, "
            + "display_phone_number, verified_name, access_token_enc, verify_token_enc, webhook_token, enabled, "
            + "graph_base_url, graph_api_version, needs_new_credentials, credentials_problem, last_test_at, "
            + "last_test_status, last_test_code, last_test_message, last_webhook_at, last_rejected_at, "
            + "last_rejected_reason, account_alert_field, account_alert_event, account_alert_at, created_at, updated_at";

    static final org.springframework.jdbc.core.RowMapper<Integration> ROW = (rs, n) -> new Integration(
            rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class), rs.getString("name"),
            rs.getString("app_id"), rs.getString("app_secret_enc"), rs.getString("waba_id"),
            rs.getString("phone_number_id"), rs.getString("display_phone_number"), rs.getString("verified_name"),
            rs.getString("access_token_enc"), rs.getString("verify_token_enc"), rs.getString("webhook_token"),
            rs.getBoolean("enabled"), rs.getString("graph_base_url"), rs.getString("graph_api_version"),
            rs.getBoolean("needs_new_credentials"), rs.getString("credentials_problem"),
            rs.getObject("last_test_at", OffsetDateTime.class), rs.getString("last_test_status"),
            (Integer) rs.getObject("last_test_code", Integer.class), rs.getString("last_test_message"),
            rs.getObject("last_webhook_at", OffsetDateTime.class), rs.getObject("last_rejected_at", OffsetDateTime.class),
            rs.getString("last_rejected_reason"), rs.getString("account_alert_field"),
            rs.getString("account_alert_event"), rs.getObject("account_alert_at", OffsetDateTime.class),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));

    @Override
    public String toString() {
        return "Integration[" + id + ", org " + orgId + ", phone " + phoneNumberId + "]";
    }
}
