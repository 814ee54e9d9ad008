package dev.parley.server.webhook;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import static dev.parley.server.webhook.DeliveryState.*;

/** SQL of {@code webhook_deliveries} and {@code webhook_unrouted_keys}: claims, outcomes, queries, retention. */
final class DeliveryStore {

    static final String META_COLUMNS = "id, received_at, org_id, integration_id, via, source_ip, signature_valid,"
            + " signature_header, headers, body_size, http_status, state, outcome, detail, attempts, processed_at";
    private static final String CLAIMABLE = "((state = 'pending' AND (not_before IS NULL OR not_before <= :now))"
            + " OR (state = 'processing' AND lease_until < :now))";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;

    DeliveryStore(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** The outcome of processing one delivery, for {@link #finishAll}. */
    record Finished(long id, String state, String outcome, String detail, UUID orgId, UUID integrationId,
                    Boolean signatureValid, Collection<String[]> unroutedKeys) {
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static RowMapper<StoredDelivery> mapper(boolean withBody) {
        return (rs, n) -> new StoredDelivery(rs.getLong("id"), rs.getObject("received_at", OffsetDateTime.class),
                rs.getObject("org_id", UUID.class), rs.getObject("integration_id", UUID.class), rs.getString("via"),
                rs.getString("source_ip"), (Boolean) rs.getObject("signature_valid"),
                rs.getString("signature_header"), rs.getString("headers"),
                withBody ? rs.getBytes("body") : null, rs.getInt("body_size"), rs.getInt("http_status"),
                rs.getString("state"), rs.getString("outcome"), rs.getString("detail"), rs.getInt("attempts"),
                rs.getObject("processed_at", OffsetDateTime.class));
    }

    /**
     * Due pending deliveries, oldest first: a range of the (state, id) index read in index order. ({@code ORDER BY
     * state, id} is the same order under {@code state = ...}; with {@code ORDER BY id} alone H2 read and sorted the
     * whole backlog, spilling it to disk, for every claim.)
     */
    private static final String DUE_PENDING = "SELECT id FROM webhook_deliveries WHERE state = 'pending'"
            + " AND (not_before IS NULL OR not_before <= :now) ORDER BY state, id LIMIT :limit";
    /** Claimed deliveries whose lease ran out, oldest first: a range of the (state, id) index in index order. */
    private static final String LEASE_EXPIRED = "SELECT id FROM webhook_deliveries WHERE state = 'processing'"
            + " AND lease_until < :now ORDER BY state, id LIMIT :limit";

    /**
     * Claims up to {@code limit} deliveries to process: pending ones that are due, and claimed ones whose lease
     * ran out (their node died). The candidates are found with two index range scans (one per state), then claimed
     * with one conditional UPDATE by primary key, so two nodes never claim the same delivery: the second one's
     * UPDATE re-checks the condition after the first commits and skips the row. (A single
     * {@code UPDATE ... WHERE id IN (SELECT ... OR ...)} made H2 scan the whole table for every claim, which slowed
     * processing and, through the CPU, the webhook ack, as the table grew.)
     */
    List<StoredDelivery> claim(int limit, Duration lease) {
        UUID token = UUID.randomUUID();
        OffsetDateTime now = now();
        TreeSet<Long> candidates = new TreeSet<>(jdbc.sql(DUE_PENDING).param("now", now).param("limit", limit)
                .query(Long.class).list());
        candidates.addAll(jdbc.sql(LEASE_EXPIRED).param("now", now).param("limit", limit).query(Long.class).list());
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>(limit);
        for (Long id : candidates) {
            if (ids.size() == limit) {
                break;
            }
            ids.add(id);
        }
        int claimed = jdbc.sql("UPDATE webhook_deliveries SET state = 'processing', claim_token = :token,"
                        + " lease_until = :lease, attempts = attempts + 1 WHERE id IN (:ids) AND " + CLAIMABLE)
                .param("token", token).param("lease", now.plus(lease)).param("now", now).param("ids", ids)
                .update();
        if (claimed == 0) {
            return List.of();
        }
        // without their bodies: a batch of 3 MB deliveries would not fit in a small heap (see withBody)
        return jdbc.sql("SELECT " + META_COLUMNS + " FROM webhook_deliveries WHERE claim_token = :token"
                        + " AND state = 'processing' ORDER BY id")
                .param("token", token).query(mapper(false)).list();
    }

    /** The claimed delivery with its body, loaded just before it is processed, so one body is in memory at a time. */
    StoredDelivery withBody(StoredDelivery d) {
        byte[] body = jdbc.sql("SELECT body FROM webhook_deliveries WHERE id = :id").param("id", d.id())
                .query((rs, n) -> rs.getBytes(1)).optional().orElse(null);
        return new StoredDelivery(d.id(), d.receivedAt(), d.orgId(), d.integrationId(), d.via(), d.sourceIp(),
                d.signatureValid(), d.signatureHeader(), d.headersJson(), body, d.bodySize(), d.httpStatus(),
                d.state(), d.outcome(), d.detail(), d.attempts(), d.processedAt());
    }

    /**
     * The claimed deliveries with their bodies, loaded together (the caller keeps their total size bounded); those
     * gone meanwhile are left out.
     */
    List<StoredDelivery> withBodies(List<StoredDelivery> ds) {
        Map<Long, byte[]> bodies = new HashMap<>();
        named.query("SELECT id, body FROM webhook_deliveries WHERE id IN (:ids)",
                new MapSqlParameterSource("ids", ds.stream().map(StoredDelivery::id).toList()),
                rs -> {
                    bodies.put(rs.getLong(1), rs.getBytes(2));
                });
        List<StoredDelivery> out = new ArrayList<>(ds.size());
        for (StoredDelivery d : ds) {
            if (bodies.containsKey(d.id())) {
                out.add(new StoredDelivery(d.id(), d.receivedAt(), d.orgId(), d.integrationId(), d.via(),
                        d.sourceIp(), d.signatureValid(), d.signatureHeader(), d.headersJson(), bodies.get(d.id()),
                        d.bodySize(), d.httpStatus(), d.state(), d.outcome(), d.detail(), d.attempts(),
                        d.processedAt()));
            }
        }
        return out;
    }

    /** Whether anything is due now (cheap, two index probes; used to decide whether to sleep). */
    boolean anyClaimable() {
        OffsetDateTime now = now();
        return !jdbc.sql(DUE_PENDING).param("now", now).param("limit", 1).query(Long.class).list().isEmpty()
                || !jdbc.sql(LEASE_EXPIRED).param("now", now).param("limit", 1).query(Long.class).list().isEmpty();
    }

    /** Records the outcome of processing and releases the claim; unrouted keys replace the previous ones. */
    void finish(long id, String state, String outcome, String detail, UUID orgId, UUID integrationId,
                Boolean signatureValid, Collection<String[]> unroutedKeys) {
        jdbc.sql("UPDATE webhook_deliveries SET state = :state, outcome = :outcome, detail = :detail,"
                        + " processed_at = :now, claim_token = NULL, lease_until = NULL, not_before = NULL,"
                        + " org_id = COALESCE(org_id, :org), integration_id = COALESCE(integration_id, :integration),"
                        + " signature_valid = COALESCE(:valid, signature_valid) WHERE id = :id")
                .param("state", state).param("outcome", outcome).param("detail", truncate(detail))
                .param("now", now()).param("org", orgId)
                .param("integration", integrationId)
                .param("valid", signatureValid).param("id", id).update();
        jdbc.sql("DELETE FROM webhook_unrouted_keys WHERE delivery_id = ?").param(id).update();
        for (String[] key : unroutedKeys) {
            jdbc.sql("INSERT INTO webhook_unrouted_keys (delivery_id, kind, routing_key) VALUES (?, ?, ?)")
                    .params(id, key[0], key[1]).update();
        }
    }

    /** {@link #finish} for many deliveries, with batched statements. */
    void finishAll(List<Finished> all) {
        if (all.isEmpty()) {
            return;
        }
        OffsetDateTime now = now();
        List<SqlParameterSource> updates = new ArrayList<>(all.size());
        List<SqlParameterSource> keys = new ArrayList<>();
        for (Finished f : all) {
            updates.add(new MapSqlParameterSource().addValue("state", f.state()).addValue("outcome", f.outcome())
                    .addValue("detail", truncate(f.detail()), Types.VARCHAR).addValue("now", now)
                    .addValue("org", f.orgId()).addValue("integration", f.integrationId())
                    .addValue("valid", f.signatureValid(), Types.BOOLEAN).addValue("id", f.id()));
            for (String[] key : f.unroutedKeys()) {
                keys.add(new MapSqlParameterSource().addValue("id", f.id()).addValue("kind", key[0])
                        .addValue("key", key[1]));
            }
        }
        named.batchUpdate("UPDATE webhook_deliveries SET state = :state, outcome = :outcome, detail = :detail,"
                + " processed_at = :now, claim_token = NULL, lease_until = NULL, not_before = NULL,"
                + " org_id = COALESCE(org_id, :org), integration_id = COALESCE(integration_id, :integration),"
                + " signature_valid = COALESCE(:valid, signature_valid) WHERE id = :id",
                updates.toArray(SqlParameterSource[]::new));
        named.update("DELETE FROM webhook_unrouted_keys WHERE delivery_id IN (:ids)",
                new MapSqlParameterSource("ids", all.stream().map(Finished::id).toList()));
        if (!keys.isEmpty()) {
            named.batchUpdate("INSERT INTO webhook_unrouted_keys (delivery_id, kind, routing_key) VALUES (:id, :kind,"
                    + " :key)", keys.toArray(SqlParameterSource[]::new));
        }
    }

    /** A failed attempt: back to pending after a backoff, or final after {@code maxAttempts}. */
    void failed(long id, int attempts, int maxAttempts, String error) {
        boolean last = attempts >= maxAttempts;
        long backoffSeconds = Math.min(3600, 1L << Math.min(attempts, 12));
        jdbc.sql("UPDATE webhook_deliveries SET state = :state, outcome = :outcome, detail = :detail,"
                        + " claim_token = NULL, lease_until = NULL, not_before = :notBefore, processed_at = :processed"
                        + " WHERE id = :id")
                .param("state", last ? PROCESSED : PENDING).param("outcome", OUTCOME_FAILED)
                .param("detail", truncate("attempt " + attempts + " of " + maxAttempts + " failed: " + error))
                .param("notBefore", last ? null : now().plusSeconds(backoffSeconds))
                .param("processed", last ? now() : null)
                .param("id", id).update();
    }

    /**
     * Deliveries waiting for an integration with one of these keys go back to pending; answers how many. With
     * {@code includeMismatches}, also those whose integration had a different app secret (after an integration
     * changed: its secret may have been corrected).
     */
    int requeueUnrouted(String phoneNumberId, String wabaId, boolean includeMismatches) {
        List<String> where = new ArrayList<>();
        String phoneKinds = includeMismatches ? "('phone', 'phone_mismatch')" : "('phone')";
        String wabaKinds = includeMismatches ? "('waba', 'waba_mismatch')" : "('waba')";
        if (phoneNumberId != null) {
            where.add("(kind IN " + phoneKinds + " AND routing_key = :phone)");
        }
        if (wabaId != null) {
            where.add("(kind IN " + wabaKinds + " AND routing_key = :waba)");
        }
        if (where.isEmpty()) {
            return 0;
        }
        JdbcClient.StatementSpec spec = jdbc.sql("UPDATE webhook_deliveries SET state = 'pending', not_before = NULL,"
                + " attempts = 0 WHERE state IN ('unrouted', 'processed') AND id IN (SELECT delivery_id FROM"
                + " webhook_unrouted_keys WHERE " + String.join(" OR ", where) + ")");
        if (phoneNumberId != null) {
            spec = spec.param("phone", phoneNumberId);
        }
        if (wabaId != null) {
            spec = spec.param("waba", wabaId);
        }
        return spec.update();
    }

    /** Distinct routing keys still waiting (for the periodic sweep), at most {@code limit}. */
    List<String[]> unroutedKeys(int limit) {
        return jdbc.sql("SELECT DISTINCT kind, routing_key FROM webhook_unrouted_keys WHERE kind IN ('phone', 'waba')"
                        + " ORDER BY kind, routing_key LIMIT :limit")
                .param("limit", limit).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    }

    /** Deletes old deliveries a thousand at a time; answers how many. */
    int deleteOlderThan(OffsetDateTime processedCutoff, OffsetDateTime unroutedCutoff) {
        int total = 0;
        for (String[] rule : new String[][] {{PROCESSED, "p"}, {REJECTED, "p"}, {UNROUTED, "u"}}) {
            OffsetDateTime cut = rule[1].equals("p") ? processedCutoff : unroutedCutoff;
            // The newest delivery received before the cut-off (one probe of the received_at index), then the
            // deliveries of the state up to its id (a range of the (state, id) index): only what goes is read.
            // ("state IN (...) AND received_at < ?" read every processed delivery through the state index, at
            // every run, however few were old.)
            Long upTo = jdbc.sql("SELECT id FROM webhook_deliveries WHERE received_at < :cut ORDER BY received_at DESC"
                    + " LIMIT 1").param("cut", cut).query(Long.class).optional().orElse(null);
            if (upTo == null) {
                continue;
            }
            while (true) {
                int n = jdbc.sql("DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
                                + " WHERE state = :state AND id <= :upTo AND received_at < :cut ORDER BY id LIMIT 1000)")
                        .param("state", rule[0]).param("upTo", upTo).param("cut", cut).update();
                total += n;
                if (n < 1000) {
                    break;
                }
            }
        }
        return total;
    }

    // ------------------------------------------------------------------ the API's reads

    List<StoredDelivery> list(UUID orgId, int limit, Long before, UUID integrationId, Boolean signatureValid,
                              String outcome) {
        StringBuilder sql = new StringBuilder("SELECT " + META_COLUMNS + " FROM webhook_deliveries WHERE org_id = :org");
        if (before != null) {
            sql.append(" AND id < :before");
        }
        if (integrationId != null) {
            sql.append(" AND integration_id = :integration");
        }
        if (signatureValid != null) {
            sql.append(" AND signature_valid = :valid");
        }
        if (outcome != null) {
            sql.append(" AND outcome = :outcome");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param("org", orgId).param("limit", limit);
        if (before != null) {
            spec = spec.param("before", before);
        }
        if (integrationId != null) {
            spec = spec.param("integration", integrationId);
        }
        if (signatureValid != null) {
            spec = spec.param("valid", signatureValid);
        }
        if (outcome != null) {
            spec = spec.param("outcome", outcome);
        }
        return spec.query(mapper(false)).list();
    }

    Optional<StoredDelivery> get(UUID orgId, long id, boolean withBody) {
        return jdbc.sql("SELECT " + META_COLUMNS + (withBody ? ", body" : "") + " FROM webhook_deliveries"
                        + " WHERE org_id = :org AND id = :id")
                .param("org", orgId).param("id", id).query(mapper(withBody)).optional();
    }

    /** Puts a processed delivery of the organization back in the queue; false when it cannot be replayed. */
    boolean replay(UUID orgId, long id) {
        return jdbc.sql("UPDATE webhook_deliveries SET state = 'pending', outcome = 'queued', not_before = NULL,"
                        + " attempts = 0 WHERE org_id = :org AND id = :id AND state IN ('processed', 'unrouted')")
                .param("org", orgId).param("id", id).update() == 1;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }
}
