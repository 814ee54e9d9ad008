-- Identity: organizations (tenants), their users and API tokens.
CREATE TABLE organizations (
    id          UUID PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE users (
    id             UUID PRIMARY KEY,
    org_id         UUID NOT NULL REFERENCES organizations (id),
    email          VARCHAR(320) NOT NULL,
    display_name   VARCHAR(200) NOT NULL,
    role           VARCHAR(16) NOT NULL,
    password_hash  VARCHAR(200),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email),
    CONSTRAINT users_role_known CHECK (role IN ('owner', 'admin', 'agent'))
);
CREATE INDEX users_org ON users (org_id);

-- Only a SHA-256 hash of each token is kept, plus its first characters to recognise it in lists.
CREATE TABLE api_tokens (
    id            UUID PRIMARY KEY,
    org_id        UUID NOT NULL REFERENCES organizations (id),
    user_id       UUID NOT NULL REFERENCES users (id),
    name          VARCHAR(200) NOT NULL,
    token_hash    VARCHAR(64) NOT NULL,
    token_prefix  VARCHAR(16) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_tokens_hash_unique UNIQUE (token_hash)
);
CREATE INDEX api_tokens_org ON api_tokens (org_id);

-- One row once the first start has created the Default organization and its owner. That organization is
-- the instance's own: its owners administer the installation (e.g. rotate the credential key).
CREATE TABLE identity_bootstrap (
    id       INTEGER PRIMARY KEY,
    org_id   UUID NOT NULL REFERENCES organizations (id),
    done_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
