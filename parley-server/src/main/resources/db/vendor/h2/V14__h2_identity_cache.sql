-- Embedded H2 only (spring.flyway.locations adds db/vendor/{vendor}): larger caches for the identity sequences that
-- webhook ingest draws from for every delivery, message, status and audit event. H2 flushes an identity sequence
-- every CACHE values (default 32) and each flush is a commit of the whole store, which with WRITE_DELAY=0 is a write
-- to the file: under load that was a store write every 32 inserts, on the ack path's group commit as well as in the
-- processor. A crash skips at most the cached values (gaps, never a reuse). PostgreSQL caches per session, which
-- would give ids out of time order across connections, so it keeps its defaults.
ALTER TABLE webhook_deliveries ALTER COLUMN id SET CACHE 10000;
ALTER TABLE messages ALTER COLUMN seq SET CACHE 10000;
ALTER TABLE message_statuses ALTER COLUMN id SET CACHE 10000;
ALTER TABLE audit_events ALTER COLUMN id SET CACHE 10000;
