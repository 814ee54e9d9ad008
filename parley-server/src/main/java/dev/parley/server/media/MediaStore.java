package dev.parley.server.media;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of {@code media_files}: jobs, claims, outcomes, and the files' metadata. */
@Component
class MediaStore {

    static final String PENDING = "pending";
    static final String DOWNLOADING = "downloading";
    static final String READY = "ready";
    static final String FAILED = "failed";

    private static final String CLAIMABLE = "((state = 'pending' AND next_attempt_at <= :now)"
            + " OR (state = 'downloading' AND lease_until < :now))";
    private static final String COLUMNS = "message_id, org_id, integration_id, media_id, message_type, mime_type,"
            + " webhook_sha256, sha256, size_bytes, path, state, attempts, last_error";

    /** One row. */
    record Job(UUID messageId, UUID orgId, UUID integrationId, String mediaId, String messageType, String mimeType,
               String webhookSha256, String sha256, Long size, String path, String state, int attempts,
               String lastError) {
    }

    /** What one download attempt came to. */
    sealed interface Outcome {
        UUID messageId();
    }

    /** Downloaded, checked and written to {@code path}. */
    record Ready(UUID messageId, String mime, String sha256Hex, long size, String path) implements Outcome {
    }

    /** Failed: pending again after {@code retryIn}, or {@code failed} for good when retryIn is null. */
    record Failed(UUID messageId, String error, Duration retryIn) implements Outcome {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    MediaStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * Records the outcomes of several attempts in one transaction: one commit for a batch of downloads instead of
     * one each (on the embedded database every commit writes the changed pages to the file, so a burst of media
     * messages whose downloads fail fast, e.g. while the Graph API cannot be reached, cost a commit per attempt).
     */
    void record(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(t -> {
            for (Outcome o : outcomes) {
                if (o instanceof Ready r) {
                    ready(r.messageId(), r.mime(), r.sha256Hex(), r.size(), r.path());
                } else if (o instanceof Failed f) {
                    attemptFailed(f.messageId(), f.error(), f.retryIn());
                }
            }
        });
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** A new download job, due now; nothing happens when the message already has one. */
    void enqueue(UUID messageId, UUID orgId, UUID integrationId, String mediaId, String type, String mime,
                 String webhookSha256) {
        OffsetDateTime now = now();
        try {
            jdbc.sql("""
                            INSERT INTO media_files (message_id, org_id, integration_id, media_id, message_type,
                                mime_type, webhook_sha256, state, attempts, next_attempt_at, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(messageId, orgId, integrationId, cut(mediaId, 200), cut(type, 20), cut(mime, 200),
                            cut(webhookSha256, 100), now, now, now)
                    .update();
        } catch (DuplicateKeyException e) {
            // already there
        }
    }

    /**
     * Claims up to {@code limit} due jobs: pending ones whose time has come and downloading ones whose lease ran
     * out. The candidates come from two range scans of the (state, next_attempt_at) index, then one conditional
     * UPDATE by primary key claims them, so two nodes never claim the same job (the second one's UPDATE re-checks
     * the condition and skips it). ({@code UPDATE ... WHERE message_id IN (SELECT ... WHERE (pending AND due) OR
     * (downloading AND lease over) ...)} made H2 scan the whole table for every claim, which under a webhook load
     * with many media messages took CPU from everything else.)
     */
    List<Job> claim(int limit, Duration lease) {
        UUID token = UUID.randomUUID();
        OffsetDateTime now = now();
        java.util.LinkedHashSet<UUID> ids = new java.util.LinkedHashSet<>(jdbc.sql("SELECT message_id FROM media_files"
                        + " WHERE state = 'pending' AND next_attempt_at <= :now ORDER BY state, next_attempt_at"
                        + " LIMIT :limit")
                .param("now", now).param("limit", limit).query(UUID.class).list());
        ids.addAll(jdbc.sql("SELECT message_id FROM media_files WHERE state = 'downloading' AND lease_until < :now"
                        + " ORDER BY state, next_attempt_at LIMIT :limit")
                .param("now", now).param("limit", limit).query(UUID.class).list());
        if (ids.isEmpty()) {
            return List.of();
        }
        List<UUID> some = new java.util.ArrayList<>(ids).subList(0, Math.min(limit, ids.size()));
        int claimed = jdbc.sql("UPDATE media_files SET state = 'downloading', claim_token = :token,"
                        + " lease_until = :lease, attempts = attempts + 1, updated_at = :now WHERE message_id IN"
                        + " (:ids) AND " + CLAIMABLE)
                .param("token", token).param("lease", now.plus(lease)).param("now", now).param("ids", some)
                .update();
        if (claimed == 0) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM media_files WHERE message_id IN (:ids) AND claim_token = :token"
                        + " AND state = 'downloading'")
                .param("ids", some).param("token", token).query(MediaStore::job).list();
    }

    /** Whether a job is due now (decides whether the worker sleeps). */
    boolean anyDue() {
        OffsetDateTime now = now(); // two index probes (an OR of both states scanned the table on H2)
        return !jdbc.sql("SELECT message_id FROM media_files WHERE state = 'pending' AND next_attempt_at <= :now"
                        + " ORDER BY state, next_attempt_at LIMIT 1").param("now", now).query(UUID.class).list().isEmpty()
                || !jdbc.sql("SELECT message_id FROM media_files WHERE state = 'downloading' AND lease_until < :now"
                        + " LIMIT 1").param("now", now).query(UUID.class).list().isEmpty();
    }

    void ready(UUID messageId, String mime, String sha256Hex, long size, String path) {
        OffsetDateTime now = now();
        jdbc.sql("""
                        UPDATE media_files SET state = 'ready', mime_type = ?, sha256 = ?, size_bytes = ?, path = ?,
                            claim_token = NULL, lease_until = NULL, last_error = NULL, downloaded_at = ?, updated_at = ?
                        WHERE message_id = ?""")
                .params(cut(mime, 200), sha256Hex, size, path, now, now, messageId).update();
    }

    /** A failed attempt: pending again after {@code retryIn}, or {@code failed} for good when retryIn is null. */
    void attemptFailed(UUID messageId, String error, Duration retryIn) {
        OffsetDateTime now = now();
        jdbc.sql("""
                        UPDATE media_files SET state = ?, next_attempt_at = ?, last_error = ?, claim_token = NULL,
                            lease_until = NULL, updated_at = ?
                        WHERE message_id = ?""")
                .params(retryIn == null ? FAILED : PENDING, retryIn == null ? now : now.plus(retryIn),
                        cut(error, 2000), now, messageId)
                .update();
    }

    Optional<Job> find(UUID orgId, UUID messageId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM media_files WHERE org_id = ? AND message_id = ?")
                .params(orgId, messageId).query(MediaStore::job).optional();
    }

    private static Job job(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Number size = (Number) rs.getObject("size_bytes");
        return new Job(rs.getObject("message_id", UUID.class), rs.getObject("org_id", UUID.class),
                rs.getObject("integration_id", UUID.class), rs.getString("media_id"), rs.getString("message_type"),
                rs.getString("mime_type"), rs.getString("webhook_sha256"), rs.getString("sha256"),
                size == null ? null : size.longValue(), rs.getString("path"), rs.getString("state"),
                rs.getInt("attempts"), rs.getString("last_error"));
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
