package dev.parley.server.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** {@link Conversations} over the messaging tables. */
@Service
class ConversationLookup implements Conversations {

    private final JdbcClient jdbc;

    ConversationLookup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ConversationRef> find(UUID orgId, UUID conversationId) {
        return jdbc.sql("""
                        SELECT c.id, c.org_id, c.integration_id, k.wa_id, k.name, c.window_expires_at
                        FROM conversations c JOIN contacts k ON k.id = c.contact_id
                        WHERE c.org_id = ? AND c.id = ?""")
                .params(orgId, conversationId)
                .query((rs, n) -> {
                    OffsetDateTime w = rs.getObject("window_expires_at", OffsetDateTime.class);
                    return new ConversationRef(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
                            rs.getObject("integration_id", UUID.class), rs.getString("wa_id"), rs.getString("name"),
                            w == null ? null : w.toInstant());
                }).optional();
    }

    @Override
    public Optional<UUID> conversationOf(UUID orgId, UUID messageId) {
        return jdbc.sql("SELECT conversation_id FROM messages WHERE org_id = ? AND id = ?")
                .params(orgId, messageId).query(UUID.class).optional();
    }

    @Override
    public Optional<String> wamid(UUID orgId, UUID messageId) {
        return jdbc.sql("SELECT wamid FROM messages WHERE org_id = ? AND id = ? AND wamid IS NOT NULL")
                .params(orgId, messageId).query(String.class).optional();
    }
}
