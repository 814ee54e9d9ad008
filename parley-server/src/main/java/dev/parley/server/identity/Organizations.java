package dev.parley.server.identity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** Creates and finds organizations (tenants). */
@Service
public class Organizations {

    private final JdbcClient jdbc;

    Organizations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Organization create(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an organization needs a name");
        }
        Organization org = new Organization(UUID.randomUUID(), name.strip(), Times.now());
        jdbc.sql("INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)")
                .params(org.id(), org.name(), org.createdAt()).update();
        return org;
    }

    /** The organization created on first start, whose owners administer the installation itself. */
    public Optional<UUID> instanceOrganizationId() {
        return jdbc.sql("SELECT org_id FROM identity_bootstrap WHERE id = 1").query(UUID.class).optional();
    }

    public Optional<Organization> find(UUID id) {
        return jdbc.sql("SELECT id, name, created_at FROM organizations WHERE id = ?").param(id)
                .query((rs, n) -> new Organization(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .optional();
    }
}
