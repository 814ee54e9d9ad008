package dev.parley.server.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** {@link CustomerWindows}: reads {@code conversations.window_expires_at} through the contact's wa_id. */
@Service
class CustomerWindowQueries implements CustomerWindows {

    private final JdbcClient jdbc;

    CustomerWindowQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Instant> windowExpiresAt(UUID integrationId, String waId) {
        String digits = waId == null ? "" : waId.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                        SELECT c.window_expires_at FROM conversations c JOIN contacts k ON k.id = c.contact_id
                        WHERE c.integration_id = ? AND k.wa_id = ?""")
                .params(integrationId, digits)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class)).optional()
                .map(t -> t == null ? null : t.toInstant());
    }
}
