-- Media feature: inbound media downloads, read-receipt settings, the scheduled template sync.

-- One row per inbound media message: a durable download job (pending -> downloading -> ready | failed) and,
-- once ready, the stored file (path relative to the data dir's media folder). Claimed by a conditional UPDATE with
-- a lease, so several nodes never download the same media at the same time and a dead node's claim expires.
CREATE TABLE media_files (
    message_id       UUID PRIMARY KEY,
    org_id           UUID NOT NULL,
    integration_id   UUID NOT NULL,
    media_id         VARCHAR(200) NOT NULL,
    message_type     VARCHAR(20) NOT NULL,
    mime_type        VARCHAR(200),
    webhook_sha256   VARCHAR(100),
    sha256           VARCHAR(64),
    size_bytes       BIGINT,
    path             VARCHAR(1000),
    state            VARCHAR(16) NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    claim_token      UUID,
    lease_until      TIMESTAMP WITH TIME ZONE,
    last_error       VARCHAR(2000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    downloaded_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX media_files_due ON media_files (state, next_attempt_at);
CREATE INDEX media_files_org ON media_files (org_id, message_id);

-- Read receipts per integration: 'automatic' (every inbound message marked read once stored) or 'on_open'
-- (when someone opens the conversation: POST /api/v1/conversations/{id}/read). No row = on_open.
CREATE TABLE read_receipt_settings (
    integration_id  UUID PRIMARY KEY,
    org_id          UUID NOT NULL,
    mode            VARCHAR(16) NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The scheduled template sync: one row per live integration; a node syncs an integration only after winning the
-- compare-and-set on next_sync_at, so several nodes do not sync the same integration in the same period.
CREATE TABLE template_sync_schedule (
    integration_id  UUID PRIMARY KEY,
    org_id          UUID NOT NULL,
    next_sync_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_synced_at  TIMESTAMP WITH TIME ZONE,
    last_status     VARCHAR(16),
    last_error      VARCHAR(1000),
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
