package dev.parley.server.messaging;

import dev.parley.server.channel.ChannelSummaries;
import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.LiveHub;
import dev.parley.server.web.UiController;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The inbox: conversations (unread count, last message, what is left of the 24-hour window; filter by channel
 * and state) and a conversation's thread. The page listens to {@code /app/live} (Server-Sent Events) and reloads
 * the list and the open thread when {@link InboxLive} says they changed.
 */
@UiController
class InboxPages {

    static final int THREAD_SIZE = 100;

    private final MessageQueries queries;
    private final ChannelSummaries channels;
    private final LiveHub hub;
    private final ApplicationEventPublisher events;

    InboxPages(MessageQueries queries, ChannelSummaries channels, LiveHub hub, ApplicationEventPublisher events) {
        this.queries = queries;
        this.channels = channels;
        this.hub = hub;
        this.events = events;
    }

    record Item(UUID id, String name, String waId, int unread, Instant lastAt, String summary, boolean lastOutbound,
                String windowExpires, String channel) {
    }

    @GetMapping("/app/inbox")
    String inbox(Actor actor, @RequestParam(required = false) UUID channel,
                 @RequestParam(required = false) String state, Model model) {
        page(actor, channel, state, null, model);
        return "inbox/index";
    }

    @GetMapping("/app/inbox/{id}")
    @Transactional
    String conversation(Actor actor, @PathVariable UUID id, @RequestParam(required = false) UUID channel,
                        @RequestParam(required = false) String state, Model model) {
        Map<String, Object> conversation = queries.conversation(actor.orgId(), id)
                .orElseThrow(() -> ApiException.notFound("conversation"));
        seen(actor, id);
        page(actor, channel, state, id, model);
        model.addAttribute("conversation", conversation);
        model.addAttribute("bubbles", thread(actor, id));
        return "inbox/index";
    }

    /** htmx: the conversation list alone (reloaded live). */
    @GetMapping("/app/inbox/list")
    String list(Actor actor, @RequestParam(required = false) UUID channel,
                @RequestParam(required = false) String state, @RequestParam(required = false) UUID active,
                Model model) {
        page(actor, channel, state, active, model);
        return "inbox/index :: list";
    }

    /** htmx: a thread's messages alone (reloaded live); viewing it marks the conversation read. */
    @GetMapping("/app/inbox/{id}/thread")
    @Transactional
    String thread(Actor actor, @PathVariable UUID id, Model model) {
        Map<String, Object> conversation = queries.conversation(actor.orgId(), id)
                .orElseThrow(() -> ApiException.notFound("conversation"));
        seen(actor, id);
        model.addAttribute("conversation", conversation);
        model.addAttribute("bubbles", thread(actor, id));
        return "inbox/index :: messages";
    }

    /** The organization's live stream of changes (Server-Sent Events). */
    @GetMapping(value = "/app/live", produces = "text/event-stream")
    @ResponseBody
    SseEmitter live(Actor actor) {
        return hub.subscribe(actor.orgId());
    }

    private void seen(Actor actor, UUID id) {
        if (queries.markRead(actor.orgId(), id)) {
            events.publishEvent(new ConversationUpdated(actor.orgId(), id));
        }
    }

    private List<Bubbles.Bubble> thread(Actor actor, UUID id) {
        return Bubbles.of(queries.messages(actor.orgId(), id, THREAD_SIZE, null).data());
    }

    private void page(Actor actor, UUID channel, String state, UUID active, Model model) {
        List<ChannelSummaries.ChannelSummary> all = channels.list(actor.orgId());
        Map<UUID, String> names = all.stream().collect(Collectors.toMap(ChannelSummaries.ChannelSummary::id,
                ChannelSummaries.ChannelSummary::name, (a, b) -> a));
        String cleanState = state == null || !List.of("unread", "open", "closed").contains(state) ? null : state;
        List<Item> items = queries.conversations(actor.orgId(), channel, cleanState, 100, null).data().stream()
                .map(c -> item(actor, c, names)).toList();
        model.addAttribute("channels", all);
        model.addAttribute("items", items);
        model.addAttribute("channel", channel);
        model.addAttribute("state", cleanState);
        model.addAttribute("active", active);
    }

    @SuppressWarnings("unchecked")
    private Item item(Actor actor, Map<String, Object> c, Map<UUID, String> names) {
        UUID id = (UUID) c.get("id");
        Map<String, Object> contact = (Map<String, Object>) c.get("contact");
        Map<String, Object> last = queries.lastMessage(actor.orgId(), id).orElse(null);
        String summary = last == null ? "" : Bubbles.summary((String) last.get("type"),
                last.get("content") instanceof JsonNode n ? n : null);
        String name = (String) contact.get("name");
        Instant expires = (Instant) c.get("window_expires_at");
        return new Item(id, name == null || name.isBlank() ? "+" + contact.get("wa_id") : name,
                (String) contact.get("wa_id"), (Integer) c.get("unread_count"), (Instant) c.get("last_message_at"),
                summary, last != null && "outbound".equals(last.get("direction")),
                expires == null ? null : expires.toString(),
                names.getOrDefault((UUID) c.get("integration_id"), ""));
    }
}
