package dev.parley.server.messaging;

import dev.parley.cloudapi.webhook.MessageEvent;
import dev.parley.cloudapi.webhook.StatusEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The messaging feature's entry point for webhook content. Idempotent: a message is stored once per
 * (integration, wamid) and a status once per (wamid, status), however often and in whatever order Meta
 * redelivers. Runs in the caller's transaction when there is one.
 */
public interface InboundItems {

    InboundResult apply(InboundContext context, List<MessageEvent> messages, List<StatusEvent> statuses);

    /**
     * Applies many groups (of many deliveries) at once, with the same outcome as calling {@link #apply} for each in
     * order (a message or status that appears in two groups is stored for the first and counted as a duplicate in
     * the second), but with a few batched statements instead of several per item. Answers one result per group, in
     * order. Runs in the caller's transaction when there is one; if it throws, nothing of it may be kept (roll back).
     */
    default List<InboundResult> applyAll(List<InboundGroup> groups) {
        List<InboundResult> results = new ArrayList<>(groups.size());
        for (InboundGroup g : groups) {
            results.add(apply(g.context(), g.messages(), g.statuses()));
        }
        return results;
    }
}
