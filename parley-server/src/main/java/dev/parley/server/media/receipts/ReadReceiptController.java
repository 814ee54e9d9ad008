package dev.parley.server.media.receipts;

import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Role;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Read receipts over HTTP: the per-integration setting (every role reads it, owners and admins change it) and
 * {@code POST /api/v1/conversations/{id}/read} (every role; body optional, {@code {"typing": true}} also shows
 * the customer the typing indicator).
 */
@RestController
class ReadReceiptController {

    record ModeBody(String mode) {
    }

    record ReadBody(Boolean typing) {
    }

    private final ReadReceipts receipts;

    ReadReceiptController(ReadReceipts receipts) {
        this.receipts = receipts;
    }

    @GetMapping("/api/v1/channels/whatsapp/integrations/{id}/read-receipts")
    Map<String, Object> get(Actor actor, @PathVariable UUID id) {
        return Map.of("integration_id", id, "mode", receipts.mode(actor, id));
    }

    @PutMapping("/api/v1/channels/whatsapp/integrations/{id}/read-receipts")
    Map<String, Object> put(Actor actor, @PathVariable UUID id, @RequestBody ModeBody body) {
        actor.requireRole(Role.OWNER, Role.ADMIN);
        return Map.of("integration_id", id, "mode", receipts.setMode(actor, id, body == null ? null : body.mode()));
    }

    @PostMapping("/api/v1/conversations/{id}/read")
    Map<String, Object> read(Actor actor, @PathVariable UUID id, @RequestBody(required = false) ReadBody body) {
        ReadReceipts.Opened opened = receipts.open(actor, id, body != null && Boolean.TRUE.equals(body.typing()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("conversation_id", opened.conversationId());
        m.put("unread_count", 0);
        m.put("marked_message_id", opened.markedMessageId());
        m.put("marked_wamid", opened.markedWamid());
        return m;
    }
}
