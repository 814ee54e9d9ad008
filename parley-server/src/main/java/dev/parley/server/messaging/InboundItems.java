package dev.parley.server.messaging;

import dev.parley.cloudapi.webhook.MessageEvent;
import dev.parley.cloudapi.webhook.StatusEvent;

import java.util.List;

/**
 * The messaging feature's entry point for webhook content. Idempotent: a message is stored once per
 * (integration, wamid) and a status once per (wamid, status), however often and in whatever order Meta
 * redelivers. Runs in the caller's transaction when there is one.
 */
public interface InboundItems {

    InboundResult apply(InboundContext context, List<MessageEvent> messages, List<StatusEvent> statuses);
}
