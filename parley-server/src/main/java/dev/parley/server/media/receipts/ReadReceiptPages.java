package dev.parley.server.media.receipts;

import dev.parley.server.identity.Actor;
import dev.parley.server.messaging.ConversationReads;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.util.UUID;

/**
 * The inbox tells this when an agent opens a conversation: with the integration's read receipts in
 * {@code on_open} mode (the default) the customer's latest message is marked read at Meta, exactly like
 * {@code POST /api/v1/conversations/{id}/read}. Meta refusing is logged; the page carries on.
 */
@UiController
class ReadReceiptPages {

    private static final Logger log = LoggerFactory.getLogger(ReadReceiptPages.class);

    private final ReadReceipts receipts;
    private final ConversationReads conversations;

    ReadReceiptPages(ReadReceipts receipts, ConversationReads conversations) {
        this.receipts = receipts;
        this.conversations = conversations;
    }

    @PostMapping("/app/inbox/{id}/read")
    ResponseEntity<Void> opened(Actor actor, @PathVariable UUID id) {
        ConversationReads.LatestInbound latest = conversations.latestInbound(actor.orgId(), id)
                .orElseThrow(() -> ApiException.notFound("conversation"));
        if (latest.wamid() != null && ReadReceipts.ON_OPEN.equals(receipts.mode(latest.integrationId()))) {
            try {
                receipts.open(actor, id, false);
            } catch (ApiException e) {
                if (e.status().value() == 404) {
                    throw e;
                }
                log.info("Read receipt for conversation {} not sent: {}", id, e.getMessage());
            }
        }
        return ResponseEntity.noContent().build();
    }
}
