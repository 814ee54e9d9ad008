package dev.parley.server.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.util.Optional;
import java.util.UUID;

/** {@link ConversationReads} over the conversations and messages tables. */
@Service
class ConversationReadsStore implements ConversationReads {

    private final JdbcClient jdbc;

    ConversationReadsStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<LatestInbound> latestInbound(UUID orgId, UUID conversationId) {
        Optional<UUID> integration = jdbc.sql("SELECT integration_id FROM conversations WHERE org_id = ? AND id = ?")
                .params(orgId, conversationId).query(UUID.class).optional();
        if (integration.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("""
                        SELECT id, wamid FROM messages
                        WHERE conversation_id = ? AND direction = 'inbound' AND wamid IS NOT NULL
                        ORDER BY sort_at DESC, seq DESC LIMIT 1""")
                .params(conversationId)
                .query((rs, n) -> new LatestInbound(conversationId, integration.get(),
                        rs.getObject("id", UUID.class), rs.getString("wamid")))
                .optional()
                .orElse(new LatestInbound(conversationId, integration.get(), null, null)));
    }

    @Override
    public boolean resetUnread(UUID orgId, UUID conversationId) {
        return jdbc.sql("UPDATE conversations SET unread_count = 0 WHERE org_id = ? AND id = ?")
                .params(orgId, conversationId).update() > 0;
    }
}
