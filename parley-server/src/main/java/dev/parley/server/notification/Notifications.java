package dev.parley.server.notification;

import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import dev.parley.server.web.ApiException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * In-app notifications. Repeats of the same thing (same organization, recipient and coalesce key) while an
 * earlier one is unread and younger than the window (10 minutes by default) only raise that one's
 * {@code count}, so a flood of failures makes one notification, not a thousand.
 */
@Service
public class Notifications {

    static final int MAX_LIMIT = 200;
    private static final String COLUMNS =
            "id, org_id, user_id, kind, title, body, repeat_count, created_at, last_at, read_at";
    private static final RowMapper<Notification> ROW = (rs, n) -> new Notification(rs.getLong("id"),
            rs.getObject("org_id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("kind"),
            rs.getString("title"), rs.getString("body"), rs.getInt("repeat_count"),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("last_at", OffsetDateTime.class),
            rs.getObject("read_at", OffsetDateTime.class));

    /** Serialises coalescing within this process; across nodes a rare duplicate is acceptable. */
    private final ReentrantLock[] stripes = new ReentrantLock[64];
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Duration window;

    Notifications(JdbcClient jdbc, TransactionTemplate tx,
                  @Value("${parley.notifications.coalesce-window:PT10M}") Duration window) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.window = window;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Notifies every owner of the organization (they share one notification and its read state). */
    public Notification notifyOwners(UUID orgId, String kind, String coalesceKey, String title, String body) {
        return notify(orgId, null, kind, coalesceKey, title, body);
    }

    /** Notifies one user of the organization. */
    public Notification notifyUser(UUID orgId, UUID userId, String kind, String coalesceKey, String title,
                                   String body) {
        if (userId == null) {
            throw new IllegalArgumentException("notifyUser needs a user id; use notifyOwners for all owners");
        }
        return notify(orgId, userId, kind, coalesceKey, title, body);
    }

    private Notification notify(UUID orgId, UUID userId, String kind, String coalesceKey, String title,
                                String body) {
        if (orgId == null || kind == null || kind.isBlank() || title == null || title.isBlank()) {
            throw new IllegalArgumentException("a notification needs an organization, a kind and a title");
        }
        String key = coalesceKey == null || coalesceKey.isBlank() ? null : coalesceKey;
        ReentrantLock lock = stripes[Math.floorMod((orgId + "|" + userId + "|" + key).hashCode(), stripes.length)];
        lock.lock();
        try {
            return tx.execute(status -> {
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
                KeyHolder keys = new GeneratedKeyHolder();
                if (key != null) {
                    List<Long> open = jdbc.sql("SELECT id FROM notifications WHERE org_id = :org AND coalesce_key = :key"
                                    + " AND read_at IS NULL AND created_at > :since AND "
                                    + (userId == null ? "user_id IS NULL" : "user_id = :user")
                                    + " ORDER BY id DESC LIMIT 1")
                            .param("org", orgId).param("key", key).param("since", now.minus(window))
                            .params(userId == null ? java.util.Map.of() : java.util.Map.of("user", userId))
                            .query(Long.class).list();
                    if (!open.isEmpty()) {
                        jdbc.sql("UPDATE notifications SET repeat_count = repeat_count + 1, last_at = ?, body = ? "
                                + "WHERE id = ?").params(now, body, open.get(0)).update();
                        return byId(open.get(0));
                    }
                }
                jdbc.sql("INSERT INTO notifications (org_id, user_id, kind, coalesce_key, title, body, repeat_count,"
                                + " created_at, last_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)")
                        .params(orgId, userId, kind, key, title, body, now, now).update(keys, "id");
                return byId(keys.getKey().longValue());
            });
        } finally {
            lock.unlock();
        }
    }

    private Notification byId(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifications WHERE id = ?").param(id).query(ROW).single();
    }

    private static String visibleTo(Actor actor) {
        return actor.role() == Role.OWNER ? "(user_id = :user OR user_id IS NULL)" : "user_id = :user";
    }

    /** The caller's notifications, newest first. */
    public List<Notification> list(Actor actor, int limit, Long before, boolean unreadOnly) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_parameter", "limit must be between 1 and " + MAX_LIMIT);
        }
        String sql = "SELECT " + COLUMNS + " FROM notifications WHERE org_id = :org AND " + visibleTo(actor)
                + (before != null ? " AND id < :before" : "") + (unreadOnly ? " AND read_at IS NULL" : "")
                + " ORDER BY id DESC LIMIT :limit";
        JdbcClient.StatementSpec spec = jdbc.sql(sql).param("org", actor.orgId()).param("user", actor.userId())
                .param("limit", limit);
        if (before != null) {
            spec = spec.param("before", before);
        }
        return spec.query(ROW).list();
    }

    public int unreadCount(Actor actor) {
        return jdbc.sql("SELECT COUNT(*) FROM notifications WHERE org_id = :org AND " + visibleTo(actor)
                        + " AND read_at IS NULL")
                .param("org", actor.orgId()).param("user", actor.userId()).query(Integer.class).single();
    }

    /** Marks one of the caller's notifications read; 404 when it is not theirs to see. */
    public Notification markRead(Actor actor, long id) {
        jdbc.sql("UPDATE notifications SET read_at = :now WHERE id = :id AND org_id = :org AND "
                        + visibleTo(actor) + " AND read_at IS NULL")
                .param("now", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                .param("id", id).param("org", actor.orgId()).param("user", actor.userId()).update();
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifications WHERE id = :id AND org_id = :org AND "
                        + visibleTo(actor))
                .param("id", id).param("org", actor.orgId()).param("user", actor.userId())
                .query(ROW).optional().orElseThrow(() -> ApiException.notFound("notification"));
    }
}
