package dev.parley.server.messaging;

import java.util.List;
import java.util.UUID;

/**
 * What {@link InboundItems#apply} did: counts for the webhook event log, and the ids of messages stored now for
 * the first time (duplicates excluded).
 */
public record InboundResult(int messagesStored, int messagesDuplicate, int statusesApplied, int statusesDuplicate,
                            List<UUID> stored) {

    public static InboundResult empty() {
        return new InboundResult(0, 0, 0, 0, List.of());
    }

    public InboundResult plus(InboundResult o) {
        List<UUID> all = new java.util.ArrayList<>(stored);
        all.addAll(o.stored);
        return new InboundResult(messagesStored + o.messagesStored, messagesDuplicate + o.messagesDuplicate,
                statusesApplied + o.statusesApplied, statusesDuplicate + o.statusesDuplicate, List.copyOf(all));
    }
}
