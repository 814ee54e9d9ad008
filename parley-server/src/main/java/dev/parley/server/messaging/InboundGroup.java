package dev.parley.server.messaging;

import dev.parley.cloudapi.webhook.MessageEvent;
import dev.parley.cloudapi.webhook.StatusEvent;

import java.util.List;

/** The messages and statuses of one delivery routed to one integration: one element of {@link InboundItems#applyAll}. */
public record InboundGroup(InboundContext context, List<MessageEvent> messages, List<StatusEvent> statuses) {
}
