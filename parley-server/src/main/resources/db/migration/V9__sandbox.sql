-- Sandbox: the channel wired to the built-in Cloud API emulator (one per installation, in the Default
-- organization). The emulator keeps its state in memory, so the credentials it is seeded with at each start
-- are kept here (encrypted like every secret).
CREATE TABLE sandbox_channel (
    integration_id        UUID PRIMARY KEY,
    org_id                UUID NOT NULL,
    app_id                VARCHAR(40) NOT NULL,
    waba_id               VARCHAR(40) NOT NULL,
    phone_number_id       VARCHAR(40) NOT NULL,
    display_phone_number  VARCHAR(40) NOT NULL,
    verified_name         VARCHAR(200) NOT NULL,
    app_secret_enc        VARCHAR(2000) NOT NULL,
    access_token_enc      VARCHAR(2000) NOT NULL,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
