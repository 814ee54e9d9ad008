package dev.parley.server.sending;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The outbound queue table. A row is claimed with {@code SELECT ... FOR UPDATE SKIP LOCKED} (so concurrent
 * claimers, on this node or another, never get the same row) and a lease ({@code claimed_until}) so that the
 * claims of a node that died expire. A row is deleted when Meta's answer is recorded.
 */
@Repository
class OutboundQueue {

    /** A claimed message, ready to be paced and sent. */
    record Item(UUID messageId, UUID orgId, UUID integrationId, String phoneNumberId, String recipient, String body,
                Instant createdAt, int attempts, Instant failingSince, Instant claimedUntil) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final DataSource dataSource;
    private volatile Boolean postgres;

    OutboundQueue(JdbcClient jdbc, TransactionTemplate tx, DataSource dataSource) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.dataSource = dataSource;
    }

    /**
     * PostgreSQL's {@code SELECT ... LIMIT n FOR UPDATE SKIP LOCKED} locks the n rows it answers. H2's locks every
     * row that matches before the limit applies (a write per row: a backlog of thousands of messages meant megabytes
     * written per claim and, at 256 MiB of heap, H2 running out of memory), so on H2 a claim reads the ids first and
     * then takes them with a conditional UPDATE by primary key.
     */
    private boolean postgres() {
        Boolean pg = postgres;
        if (pg == null) {
            try (Connection c = dataSource.getConnection()) {
                pg = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot tell which database this is", e);
            }
            postgres = pg;
        }
        return pg;
    }

    static OffsetDateTime time(Instant i) {
        return OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** Inserts the queue row, held when the integration's messages are held; call inside the transaction that records the message. */
    void enqueue(UUID messageId, UUID orgId, UUID integrationId, String phoneNumberId, String recipient,
                 String body, Instant now) {
        jdbc.sql("""
                        INSERT INTO outbound_queue (message_id, org_id, integration_id, phone_number_id, recipient,
                            body, created_at, next_attempt_at, attempts, held)
                        SELECT ?, ?, ?, ?, ?, ?, ?, ?, 0,
                            EXISTS (SELECT 1 FROM outbound_queue WHERE integration_id = ? AND held = TRUE)""")
                .params(messageId, orgId, integrationId, phoneNumberId, recipient, body, time(now), time(now),
                        integrationId)
                .update();
    }

    /**
     * Claims up to {@code limit} due rows (oldest first) for {@code node}, skipping rows locked by another claimer
     * and rows of the phone numbers in {@code skipNumbers} (lanes that are full on this node).
     */
    List<Item> claim(String node, Instant now, Duration lease, int limit, Collection<String> skipNumbers) {
        return postgres() ? claimSkippingLocked(node, now, lease, limit, skipNumbers)
                : claimByUpdate(node, now, lease, limit, skipNumbers);
    }

    private static final String CLAIMABLE =
            " held = FALSE AND next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until < :now)";
    private static final String ITEM_COLUMNS = """
            message_id, org_id, integration_id, phone_number_id, recipient, body, created_at, attempts, failing_since""";

    private static Item item(java.sql.ResultSet rs, Instant until) throws SQLException {
        return new Item(rs.getObject("message_id", UUID.class), rs.getObject("org_id", UUID.class),
                rs.getObject("integration_id", UUID.class), rs.getString("phone_number_id"),
                rs.getString("recipient"), rs.getString("body"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getInt("attempts"),
                instant(rs.getObject("failing_since", OffsetDateTime.class)), until);
    }

    /** H2: the due ids without locks, then a conditional UPDATE takes those still claimable (a racing claimer's are not). */
    private List<Item> claimByUpdate(String node, Instant now, Duration lease, int limit,
                                     Collection<String> skipNumbers) {
        Instant until = now.plus(lease);
        return tx.execute(s -> {
            StringBuilder sql = new StringBuilder("SELECT message_id FROM outbound_queue WHERE" + CLAIMABLE);
            if (!skipNumbers.isEmpty()) {
                sql.append(" AND phone_number_id NOT IN (:skip)");
            }
            sql.append(" ORDER BY held, next_attempt_at, seq LIMIT :limit");
            JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param("now", time(now)).param("limit", limit);
            if (!skipNumbers.isEmpty()) {
                spec = spec.param("skip", List.copyOf(skipNumbers));
            }
            List<UUID> ids = spec.query(UUID.class).list();
            if (ids.isEmpty()) {
                return List.of();
            }
            int taken = jdbc.sql("UPDATE outbound_queue SET claimed_by = :node, claimed_until = :until "
                            + "WHERE message_id IN (:ids) AND" + CLAIMABLE)
                    .param("node", node).param("until", time(until)).param("ids", ids).param("now", time(now))
                    .update();
            if (taken == 0) {
                return List.of();
            }
            return jdbc.sql("SELECT " + ITEM_COLUMNS + " FROM outbound_queue WHERE message_id IN (:ids) "
                            + "AND claimed_by = :node AND claimed_until = :until ORDER BY next_attempt_at, seq")
                    .param("ids", ids).param("node", node).param("until", time(until))
                    .query((rs, n) -> item(rs, until)).list();
        });
    }

    /** PostgreSQL: {@code FOR UPDATE SKIP LOCKED}, so that concurrent claimers never wait for each other. */
    private List<Item> claimSkippingLocked(String node, Instant now, Duration lease, int limit,
                                           Collection<String> skipNumbers) {
        Instant until = now.plus(lease);
        return tx.execute(s -> {
            StringBuilder sql = new StringBuilder("""
                    SELECT message_id, org_id, integration_id, phone_number_id, recipient, body, created_at, attempts,
                           failing_since
                    FROM outbound_queue
                    WHERE held = FALSE AND next_attempt_at <= :now
                      AND (claimed_until IS NULL OR claimed_until < :now)""");
            if (!skipNumbers.isEmpty()) {
                sql.append(" AND phone_number_id NOT IN (:skip)");
            }
            sql.append(" ORDER BY next_attempt_at, seq LIMIT :limit FOR UPDATE SKIP LOCKED");
            JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param("now", time(now)).param("limit", limit);
            if (!skipNumbers.isEmpty()) {
                spec = spec.param("skip", List.copyOf(skipNumbers));
            }
            List<Item> items = spec.query((rs, n) -> new Item(rs.getObject("message_id", UUID.class),
                    rs.getObject("org_id", UUID.class), rs.getObject("integration_id", UUID.class),
                    rs.getString("phone_number_id"), rs.getString("recipient"), rs.getString("body"),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getInt("attempts"), instant(rs.getObject("failing_since", OffsetDateTime.class)), until))
                    .list();
            if (!items.isEmpty()) {
                List<UUID> ids = new ArrayList<>(items.size());
                items.forEach(i -> ids.add(i.messageId()));
                jdbc.sql("UPDATE outbound_queue SET claimed_by = :node, claimed_until = :until "
                                + "WHERE message_id IN (:ids)")
                        .param("node", node).param("until", time(until)).param("ids", ids).update();
            }
            return items;
        });
    }

    /** The message is done (accepted or failed); call inside the transaction that records that. */
    void delete(UUID messageId) {
        jdbc.sql("DELETE FROM outbound_queue WHERE message_id = ?").params(messageId).update();
    }

    /** {@link #delete} for many; call inside the transaction that records them. */
    void deleteAll(Collection<UUID> messageIds) {
        if (!messageIds.isEmpty()) {
            jdbc.sql("DELETE FROM outbound_queue WHERE message_id IN (:ids)").param("ids", List.copyOf(messageIds))
                    .update();
        }
    }

    /** Tries again at {@code at}; {@code failedAt}: this attempt failed then (null: it was not attempted). */
    void retryAt(UUID messageId, Instant at, Instant failedAt, String error) {
        jdbc.sql("""
                        UPDATE outbound_queue SET next_attempt_at = :at, attempts = attempts + :inc,
                            failing_since = COALESCE(failing_since, :failedAt),
                            claimed_by = NULL, claimed_until = NULL, last_error = COALESCE(:error, last_error)
                        WHERE message_id = :id""")
                .param("at", time(at)).param("inc", failedAt != null ? 1 : 0)
                .param("failedAt", failedAt == null ? null : time(failedAt))
                .param("error", error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error)
                .param("id", messageId).update();
    }

    /** Messages to that recipient of the integration wait until {@code at} (Meta's pair rate limit). */
    void delayRecipient(UUID integrationId, String recipient, Instant at) {
        jdbc.sql("""
                        UPDATE outbound_queue SET next_attempt_at = :at
                        WHERE integration_id = :integration AND recipient = :recipient AND next_attempt_at < :at""")
                .param("at", time(at)).param("integration", integrationId).param("recipient", recipient)
                .update();
    }

    /** Gives claimed rows back (shutdown, or a lane that let them sit too long). */
    void release(String node, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE outbound_queue SET claimed_by = NULL, claimed_until = NULL "
                        + "WHERE claimed_by = :node AND message_id IN (:ids)")
                .param("node", node).param("ids", List.copyOf(ids)).update();
    }

    /**
     * Holds every message of the integration: neither sent nor failed until {@link #resume}. Claims are kept, so
     * a message being sent right now is finished by its sender and never claimed twice.
     */
    int hold(UUID integrationId) {
        return jdbc.sql("UPDATE outbound_queue SET held = TRUE WHERE integration_id = ?")
                .params(integrationId).update();
    }

    /** Holds one claimed message of a held integration and gives its claim back. */
    void holdOne(UUID messageId) {
        jdbc.sql("UPDATE outbound_queue SET held = TRUE, claimed_by = NULL, claimed_until = NULL "
                        + "WHERE message_id = ?")
                .params(messageId).update();
    }

    int resume(UUID integrationId, Instant now) {
        return jdbc.sql("UPDATE outbound_queue SET held = FALSE, next_attempt_at = ?, "
                        + "failing_since = NULL WHERE integration_id = ? AND held = TRUE")
                .params(time(now), integrationId).update();
    }

    List<UUID> messagesOf(UUID integrationId) {
        return jdbc.sql("SELECT message_id FROM outbound_queue WHERE integration_id = ?").params(integrationId)
                .query(UUID.class).list();
    }

    /** How many rows are in each state: ready (due, unclaimed), waiting (due later), claimed (by a node), held. */
    record Depth(long ready, long waiting, long claimed, long held) {
    }

    Depth depth(Instant now) {
        return jdbc.sql("""
                        SELECT
                          COALESCE(SUM(CASE WHEN held THEN 0 WHEN claimed_until >= :now THEN 0
                                            WHEN next_attempt_at <= :now THEN 1 ELSE 0 END), 0),
                          COALESCE(SUM(CASE WHEN held THEN 0 WHEN claimed_until >= :now THEN 0
                                            WHEN next_attempt_at > :now THEN 1 ELSE 0 END), 0),
                          COALESCE(SUM(CASE WHEN NOT held AND claimed_until >= :now THEN 1 ELSE 0 END), 0),
                          COALESCE(SUM(CASE WHEN held THEN 1 ELSE 0 END), 0)
                        FROM outbound_queue""")
                .param("now", time(now))
                .query((rs, n) -> new Depth(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).single();
    }

    int count(UUID integrationId, boolean held) {
        return jdbc.sql("SELECT COUNT(*) FROM outbound_queue WHERE integration_id = ? AND held = ?")
                .params(integrationId, held).query(Integer.class).single();
    }
}
