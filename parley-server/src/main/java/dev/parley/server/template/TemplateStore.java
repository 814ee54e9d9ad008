package dev.parley.server.template;

import dev.parley.cloudapi.webhook.TemplateCategoryUpdate;
import dev.parley.cloudapi.webhook.TemplateStatusUpdate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The templates table: webhook updates (status, category) and the Graph API sync write here; the API reads.
 * A webhook for a template Parley has not synced yet creates it by name and language, so nothing is lost.
 */
@Service
class TemplateStore implements TemplateUpdates {

    /** One template as Meta lists it. */
    record Synced(String metaId, String name, String language, String category, String status,
                  String parameterFormat, JsonNode components) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;

    TemplateStore(JdbcClient jdbc, JsonMapper json, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    // ---------------------------------------------------------------- webhooks

    @Override
    @Transactional
    public void statusUpdated(UUID orgId, UUID integrationId, TemplateStatusUpdate u) {
        if (u == null || (u.templateId() == null && u.templateName() == null)) {
            return;
        }
        String event = u.event() == null ? null : u.event().toUpperCase(Locale.ROOT);
        String status = "REINSTATED".equals(event) ? "APPROVED" : event;
        UUID id = findOrCreate(orgId, integrationId, u.templateId(), u.templateName(), u.language());
        if (id == null) {
            return;
        }
        announceIfNeverSynced(orgId, integrationId, id);
        OffsetDateTime now = now();
        String reason = u.reason() != null && !"NONE".equalsIgnoreCase(u.reason()) ? u.reason()
                : u.rejectionInfo() != null ? u.rejectionInfo().reason() : null;
        StringBuilder details = new StringBuilder();
        if (u.rejectionInfo() != null && u.rejectionInfo().recommendation() != null) {
            details.append(u.rejectionInfo().recommendation());
        }
        if (u.otherInfo() != null && (u.otherInfo().title() != null || u.otherInfo().description() != null)) {
            if (!details.isEmpty()) {
                details.append(" ");
            }
            details.append(u.otherInfo().title() == null ? "" : u.otherInfo().title() + ": ")
                    .append(u.otherInfo().description() == null ? "" : u.otherInfo().description());
        }
        jdbc.sql("""
                        UPDATE templates SET status = COALESCE(:status, status), last_event = :event,
                            last_event_at = :now, updated_at = :now,
                            category = COALESCE(:category, category),
                            meta_id = COALESCE(meta_id, :metaId),
                            rejection_reason = CASE WHEN :rejected THEN :reason
                                                    WHEN :approved THEN NULL ELSE rejection_reason END,
                            rejection_details = CASE WHEN :hasDetails THEN :details
                                                     WHEN :approved THEN NULL ELSE rejection_details END
                        WHERE id = :id""")
                .param("status", status).param("event", event).param("now", now)
                .param("category", u.category()).param("metaId", u.templateId())
                .param("rejected", "REJECTED".equals(status) || reason != null)
                .param("approved", "APPROVED".equals(status))
                .param("reason", truncate(reason, 200))
                .param("hasDetails", !details.isEmpty()).param("details", truncate(details.toString(), 4000))
                .param("id", id)
                .update();
    }

    @Override
    @Transactional
    public void categoryUpdated(UUID orgId, UUID integrationId, TemplateCategoryUpdate u) {
        if (u == null || u.newCategory() == null || (u.templateId() == null && u.templateName() == null)) {
            return;
        }
        UUID id = findOrCreate(orgId, integrationId, u.templateId(), u.templateName(), u.language());
        if (id == null) {
            return;
        }
        announceIfNeverSynced(orgId, integrationId, id);
        jdbc.sql("""
                        UPDATE templates SET previous_category = COALESCE(:previous, category), category = :category,
                            meta_id = COALESCE(meta_id, :metaId), updated_at = :now
                        WHERE id = :id""")
                .param("previous", u.previousCategory()).param("category", u.newCategory())
                .param("metaId", u.templateId()).param("now", now()).param("id", id)
                .update();
    }

    /** A template known only from webhooks (never synced: no components) is announced as {@link TemplateUnknown}. */
    private void announceIfNeverSynced(UUID org, UUID integration, UUID id) {
        jdbc.sql("SELECT name, language FROM templates WHERE id = ? AND synced_at IS NULL").params(id)
                .query((rs, n) -> new TemplateUnknown(org, integration, rs.getString(1), rs.getString(2)))
                .optional().ifPresent(events::publishEvent);
    }

    /**
     * The row for Meta's template id, else for the name and language; creates it (name and language known)
     * when the template was never synced. Null when it cannot be identified.
     */
    private UUID findOrCreate(UUID org, UUID integration, String metaId, String name, String language) {
        if (metaId != null) {
            Optional<UUID> byId = jdbc.sql("SELECT id FROM templates WHERE integration_id = ? AND meta_id = ?")
                    .params(integration, metaId).query(UUID.class).optional();
            if (byId.isPresent()) {
                return byId.get();
            }
        }
        if (name == null) {
            return null;
        }
        String lang = language == null ? "" : language;
        OffsetDateTime now = now();
        try {
            jdbc.sql("""
                            INSERT INTO templates (id, org_id, integration_id, meta_id, name, language, created_at,
                                updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(UUID.randomUUID(), org, integration, metaId, truncate(name, 512), truncate(lang, 20), now,
                            now)
                    .update();
        } catch (DuplicateKeyException e) {
            // created by a concurrent update
        }
        return jdbc.sql("SELECT id FROM templates WHERE integration_id = ? AND name = ? AND language = ?")
                .params(integration, truncate(name, 512), truncate(lang, 20)).query(UUID.class).single();
    }

    // ---------------------------------------------------------------- sync

    /**
     * Replaces the integration's templates with Meta's list: each is inserted or updated by name and language,
     * and templates Meta no longer lists are removed. Answers how many are stored.
     */
    @Transactional
    int replaceAll(UUID org, UUID integration, List<Synced> templates) {
        OffsetDateTime now = now();
        List<UUID> kept = new ArrayList<>();
        for (Synced t : templates) {
            if (t.name() == null) {
                continue;
            }
            String lang = t.language() == null ? "" : t.language();
            UUID id = findOrCreate(org, integration, null, t.name(), lang);
            jdbc.sql("""
                            UPDATE templates SET meta_id = :metaId, category = :category, status = :status,
                                parameter_format = :format, components = :components, placeholders = :placeholders,
                                synced_at = :now, updated_at = :now,
                                rejection_reason = CASE WHEN :approved THEN NULL ELSE rejection_reason END
                            WHERE id = :id""")
                    .param("metaId", t.metaId()).param("category", t.category()).param("status", t.status())
                    .param("format", t.parameterFormat())
                    .param("components", t.components() == null ? null : json.writeValueAsString(t.components()))
                    .param("placeholders", json.writeValueAsString(Placeholders.of(t.components())))
                    .param("now", now).param("approved", "APPROVED".equalsIgnoreCase(t.status()))
                    .param("id", id)
                    .update();
            kept.add(id);
        }
        List<UUID> existing = jdbc.sql("SELECT id FROM templates WHERE integration_id = ?").params(integration)
                .query(UUID.class).list();
        for (UUID id : existing) {
            if (!kept.contains(id)) {
                jdbc.sql("DELETE FROM templates WHERE id = ?").params(id).update();
            }
        }
        return kept.size();
    }

    // ---------------------------------------------------------------- reads

    List<Map<String, Object>> list(UUID org, UUID integration) {
        return jdbc.sql("SELECT * FROM templates WHERE org_id = ? AND integration_id = ? ORDER BY name, language")
                .params(org, integration).query((rs, n) -> view(rs)).list();
    }

    private Map<String, Object> view(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getObject("id", UUID.class));
        m.put("integration_id", rs.getObject("integration_id", UUID.class));
        m.put("meta_id", rs.getString("meta_id"));
        m.put("name", rs.getString("name"));
        m.put("language", rs.getString("language"));
        m.put("category", rs.getString("category"));
        m.put("previous_category", rs.getString("previous_category"));
        m.put("status", rs.getString("status"));
        m.put("rejection_reason", rs.getString("rejection_reason"));
        m.put("rejection_details", rs.getString("rejection_details"));
        m.put("parameter_format", rs.getString("parameter_format"));
        String components = rs.getString("components");
        m.put("components", components == null ? null : json.readTree(components));
        String placeholders = rs.getString("placeholders");
        m.put("placeholders", placeholders == null ? List.of() : json.readTree(placeholders));
        m.put("last_event", rs.getString("last_event"));
        m.put("last_event_at", instant(rs, "last_event_at"));
        m.put("synced_at", instant(rs, "synced_at"));
        m.put("updated_at", instant(rs, "updated_at"));
        return m;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
