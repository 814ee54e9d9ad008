-- Message templates per integration (feature dev.parley.server.template), from the Graph API sync and from
-- message_template_status_update / template_category_update webhooks. JSON is kept as text.
CREATE TABLE templates (
    id                        UUID PRIMARY KEY,
    org_id                    UUID NOT NULL,
    integration_id            UUID NOT NULL,
    meta_id                   VARCHAR(100),
    name                      VARCHAR(512) NOT NULL,
    language                  VARCHAR(20) NOT NULL,
    category                  VARCHAR(60),
    previous_category         VARCHAR(60),
    status                    VARCHAR(60),
    parameter_format          VARCHAR(20),
    components                VARCHAR,
    placeholders              VARCHAR,
    rejection_reason          VARCHAR(200),
    rejection_details         VARCHAR(4000),
    last_event                VARCHAR(60),
    last_event_at             TIMESTAMP WITH TIME ZONE,
    synced_at                 TIMESTAMP WITH TIME ZONE,
    created_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT templates_integration_name_language UNIQUE (integration_id, name, language)
);
CREATE INDEX templates_integration_meta_id ON templates (integration_id, meta_id);
CREATE INDEX templates_org_integration ON templates (org_id, integration_id, name);
