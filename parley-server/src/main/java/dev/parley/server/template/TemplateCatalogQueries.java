package dev.parley.server.template;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import java.util.Optional;
import java.util.UUID;

/** {@link TemplateCatalog} over the templates table. */
@Service
class TemplateCatalogQueries implements TemplateCatalog {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TemplateCatalogQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public Optional<Template> find(UUID orgId, UUID integrationId, String name, String language) {
        return jdbc.sql("""
                        SELECT name, language, status, rejection_reason, parameter_format, components
                        FROM templates WHERE org_id = ? AND integration_id = ? AND name = ? AND language = ?""")
                .params(orgId, integrationId, name, language)
                .query((rs, n) -> {
                    String components = rs.getString("components");
                    return new Template(rs.getString("name"), rs.getString("language"), rs.getString("status"),
                            rs.getString("rejection_reason"), rs.getString("parameter_format"),
                            components == null ? null : json.readTree(components));
                }).optional();
    }
}
