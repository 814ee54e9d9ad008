package dev.parley.server.audit;

import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The organization's audit trail. Features call {@link #record} for anything an owner may later need to
 * explain (actions such as {@code api_token.created}, {@code integration.created},
 * {@code webhook.inbound.received}); details must never contain a secret.
 */
@Service
public class AuditLog {

    public static final String SYSTEM = "system";
    static final int MAX_LIMIT = 200;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JsonMapper json;
    private final RowMapper<AuditEvent> row;

    AuditLog(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
        this.row = (rs, n) -> {
            String details = rs.getString("details");
            return new AuditEvent(rs.getLong("id"), rs.getObject("org_id", UUID.class),
                    rs.getObject("at", OffsetDateTime.class), rs.getString("actor"), rs.getString("action"),
                    rs.getString("subject"),
                    details == null ? JsonNodeFactory.instance.objectNode() : json.readTree(details));
        };
    }

    /** Records an event; {@code actor} is a user's email or {@link #SYSTEM}; subject and details may be null. */
    public void record(UUID orgId, String actor, String action, String subject, Map<String, ?> details) {
        if (orgId == null || action == null || action.isBlank()) {
            throw new IllegalArgumentException("an audit event needs an organization and an action");
        }
        jdbc.sql("INSERT INTO audit_events (org_id, at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?, ?)")
                .params(orgId, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS),
                        actor == null ? SYSTEM : actor, action, subject,
                        details == null || details.isEmpty() ? null : json.writeValueAsString(details))
                .update();
    }

    /** One event for {@link #recordAll}. */
    public record Entry(UUID orgId, String actor, String action, String subject, Map<String, ?> details) {
    }

    /** Records many events with one batched statement (the webhook processor: one event per delivery). */
    public void recordAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        List<Object[]> rows = new java.util.ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.orgId() == null || e.action() == null || e.action().isBlank()) {
                throw new IllegalArgumentException("an audit event needs an organization and an action");
            }
            rows.add(new Object[] {e.orgId(), at, e.actor() == null ? SYSTEM : e.actor(), e.action(),
                    new SqlParameterValue(Types.VARCHAR, e.subject()),
                    new SqlParameterValue(Types.VARCHAR, e.details() == null || e.details().isEmpty() ? null
                            : json.writeValueAsString(e.details()))});
        }
        batch.batchUpdate("INSERT INTO audit_events (org_id, at, actor, action, subject, details)"
                + " VALUES (?, ?, ?, ?, ?, ?)", rows);
    }

    /** Records an event done by the caller of the current request. */
    public void record(Actor actor, String action, String subject, Map<String, ?> details) {
        record(actor.orgId(), actor.email(), action, subject, details);
    }

    /** Newest first; {@code before} is an event id from a previous page, {@code action} an optional filter. */
    public List<AuditEvent> list(UUID orgId, int limit, Long before, String action) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_parameter", "limit must be between 1 and " + MAX_LIMIT);
        }
        StringBuilder sql = new StringBuilder(
                "SELECT id, org_id, at, actor, action, subject, details FROM audit_events WHERE org_id = :org");
        if (before != null) {
            sql.append(" AND id < :before");
        }
        if (action != null && !action.isBlank()) {
            sql.append(" AND action = :action");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        JdbcClient.StatementSpec spec = jdbc.sql(sql.toString()).param("org", orgId).param("limit", limit);
        if (before != null) {
            spec = spec.param("before", before);
        }
        if (action != null && !action.isBlank()) {
            spec = spec.param("action", action);
        }
        return spec.query(row).list();
    }

    public AuditEvent get(UUID orgId, long id) {
        return jdbc.sql("SELECT id, org_id, at, actor, action, subject, details FROM audit_events "
                        + "WHERE org_id = ? AND id = ?")
                .params(orgId, id).query(row).optional()
                .orElseThrow(() -> ApiException.notFound("audit event"));
    }
}
