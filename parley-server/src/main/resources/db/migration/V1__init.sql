-- Parley's first migration: a marker table recording which features' schemas exist.
-- Feature tables come in their own migrations (V2__channels.sql, ...).
CREATE TABLE parley_schema_info (
    name        VARCHAR(64) PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO parley_schema_info (name, created_at) VALUES ('init', CURRENT_TIMESTAMP);
