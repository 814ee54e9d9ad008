package dev.parley.server.sending;

import dev.parley.server.channel.ChannelSummaries;
import dev.parley.server.identity.Actor;
import dev.parley.server.messaging.Conversations;
import dev.parley.server.template.TemplatePicker;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starting a conversation from the inbox: a channel, the customer's phone number and an approved template with its
 * variables and a preview. Outside a 24-hour window only a template may open a conversation, so that is what this
 * sends, through {@link SendRequests} (the checks and queue of {@code POST /api/v1/messages}: the number is validated
 * as the API validates recipients). On success the new conversation opens, showing the queued message.
 */
@UiController
class NewConversationPages {

    private final ChannelSummaries channels;
    private final TemplateMessages templateMessages;
    private final SendRequests requests;
    private final Conversations conversations;

    NewConversationPages(ChannelSummaries channels, TemplateMessages templateMessages, SendRequests requests,
                         Conversations conversations) {
        this.channels = channels;
        this.templateMessages = templateMessages;
        this.requests = requests;
        this.conversations = conversations;
    }

    @GetMapping("/app/inbox/new")
    String page(Actor actor, @RequestParam(required = false) UUID channel,
                @RequestParam(required = false, defaultValue = "") String to, Model model) {
        fill(actor, channel, to, null, Map.of(), model);
        return "inbox/new";
    }

    /** htmx: the form again when the channel or the template changes, and the preview as the variables are typed. */
    @PostMapping("/app/inbox/new/form")
    String form(Actor actor, @RequestParam MultiValueMap<String, String> form, Model model) {
        fill(actor, uuid(form.getFirst("channel")), form.getFirst("to"), form.getFirst("template"),
                TemplateMessages.values(form), model);
        return "inbox/new :: new-fields";
    }

    @PostMapping("/app/inbox/new")
    String send(Actor actor, @RequestParam MultiValueMap<String, String> form, Model model) {
        UUID channel = uuid(form.getFirst("channel"));
        String to = form.getFirst("to") == null ? "" : form.getFirst("to").strip();
        String key = form.getFirst("template");
        Map<String, String> values = TemplateMessages.values(form);
        ChannelSummaries.ChannelSummary chosenChannel = fill(actor, channel, to, key, values, model);
        TemplatePicker.Choice choice = (TemplatePicker.Choice) model.getAttribute("chosen");
        String error;
        if (chosenChannel == null || !chosenChannel.id().equals(channel)) {
            error = "Pick a channel.";
        } else if (to.isEmpty()) {
            error = "Type the customer's phone number, with the country code.";
        } else {
            error = TemplateMessages.problem(choice, values);
        }
        if (error == null) {
            try {
                UUID messageId = requests.send(actor.orgId(), templateMessages.request(channel, to, choice, values));
                UUID conversation = conversations.conversationOf(actor.orgId(), messageId)
                        .orElseThrow(() -> new IllegalStateException("message " + messageId + " has no conversation"));
                return "redirect:/app/inbox/" + conversation;
            } catch (ApiException e) {
                error = e.status().value() == 404 ? "Pick a channel." : TemplateMessages.plain(e.getMessage());
            }
        }
        model.addAttribute("error", error);
        return "inbox/new";
    }

    /** The model of the form; answers the channel it shows (the one asked for, else the first enabled one). */
    private ChannelSummaries.ChannelSummary fill(Actor actor, UUID channel, String to, String templateKey,
                                                 Map<String, String> values, Model model) {
        List<ChannelSummaries.ChannelSummary> enabled = channels.list(actor.orgId()).stream()
                .filter(ChannelSummaries.ChannelSummary::enabled).toList();
        ChannelSummaries.ChannelSummary current = enabled.stream().filter(c -> c.id().equals(channel)).findFirst()
                .orElse(enabled.isEmpty() ? null : enabled.get(0));
        templateMessages.fill(model, actor.orgId(), current == null ? null : current.id(), templateKey, values);
        model.addAttribute("channels", enabled);
        model.addAttribute("channel", current == null ? null : current.id());
        model.addAttribute("to", to == null ? "" : to);
        return current;
    }

    private static UUID uuid(String s) {
        try {
            return s == null || s.isBlank() ? null : UUID.fromString(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
