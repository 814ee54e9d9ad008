package dev.parley.server.sending;

import dev.parley.server.identity.Actor;
import dev.parley.server.media.MediaUploads;
import dev.parley.server.messaging.Conversations;
import dev.parley.server.template.TemplatePicker;
import dev.parley.server.web.ApiException;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * The inbox's reply box (an htmx fragment under a thread): text and attachments while the customer's 24-hour window
 * is open; when it is closed the box says so and offers the template picker, with a field per variable and a live
 * preview. Sending goes through {@link SendRequests}, the same checks and queue as {@code POST /api/v1/messages};
 * an attachment is checked (Meta's size and type rules, the caption, the window) before it is uploaded through
 * {@link MediaUploads} and sent by its media id. On an error the box keeps what the agent typed.
 */
@UiController
class ComposerPages {

    /** Stands for the media id while a message with an attachment is checked, before the file is uploaded. */
    private static final String NOT_UPLOADED_YET = "not-uploaded-yet";

    private final Conversations conversations;
    private final TemplatePicker templates;
    private final SendRequests requests;
    private final TemplateMessages templateMessages;
    private final MediaUploads uploads;
    private final JsonMapper json;

    ComposerPages(Conversations conversations, TemplatePicker templates, SendRequests requests,
                  TemplateMessages templateMessages, MediaUploads uploads, JsonMapper json) {
        this.conversations = conversations;
        this.templates = templates;
        this.requests = requests;
        this.templateMessages = templateMessages;
        this.uploads = uploads;
        this.json = json;
    }

    @GetMapping("/app/inbox/{id}/composer")
    String composer(Actor actor, @PathVariable UUID id, @RequestParam(required = false) String template, Model model) {
        return render(actor, conversation(actor, id), template, Map.of(), model);
    }

    @PostMapping("/app/inbox/{id}/reply")
    String reply(Actor actor, @PathVariable UUID id, @RequestParam(defaultValue = "") String text,
                 @RequestParam(name = "file", required = false) MultipartFile file, Model model) {
        Conversations.ConversationRef c = conversation(actor, id);
        boolean attached = file != null && !file.isEmpty();
        if (file != null && file.isEmpty() && file.getOriginalFilename() != null
                && !file.getOriginalFilename().isBlank()) {
            return refused(actor, c, text, "The file " + file.getOriginalFilename() + " is empty.", model);
        }
        if (!attached) {
            if (text.isBlank()) {
                return refused(actor, c, text, "Write a message or attach a file first.", model);
            }
            ObjectNode request = base(c, "text");
            request.putObject("text").put("body", text);
            return send(actor, c, request, text, null, Map.of(), model);
        }
        try {
            byte[] bytes = file.getBytes();
            String kind = uploads.check(file.getContentType(), bytes); // Meta's type and size rules
            ObjectNode request = base(c, kind);
            ObjectNode media = request.putObject(kind);
            media.put("id", NOT_UPLOADED_YET);
            if (!text.isBlank()) {
                media.put("caption", text.strip());
            }
            if ("document".equals(kind) && file.getOriginalFilename() != null
                    && !file.getOriginalFilename().isBlank()) {
                media.put("filename", file.getOriginalFilename());
            }
            requests.check(actor.orgId(), request); // the caption, the window, the channel: before any upload
            MediaUploads.Uploaded up = uploads.upload(actor, c.integrationId(), file.getOriginalFilename(),
                    file.getContentType(), bytes);
            media.put("id", up.mediaId());
            return send(actor, c, request, text, null, Map.of(), model);
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            String hint = "media.caption.not_allowed".equals(e.code())
                    ? " (WhatsApp allows no caption on audio): clear the text to send the file alone." : "";
            return refused(actor, c, text, (file.getOriginalFilename() == null ? "The file"
                    : file.getOriginalFilename()) + " was not sent: " + TemplateMessages.plain(e.getMessage()) + hint, model);
        } catch (IOException e) {
            return refused(actor, c, text, "The file could not be read; choose it again.", model);
        }
    }

    /** htmx: the variables form and preview of the chosen template (also re-rendered as the agent types). */
    @PostMapping("/app/inbox/{id}/template-preview")
    String preview(Actor actor, @PathVariable UUID id, @RequestParam MultiValueMap<String, String> form, Model model) {
        Conversations.ConversationRef c = conversation(actor, id);
        return render(actor, c, form.getFirst("template"), TemplateMessages.values(form), model);
    }

    @PostMapping("/app/inbox/{id}/template")
    String sendTemplate(Actor actor, @PathVariable UUID id, @RequestParam MultiValueMap<String, String> form,
                        Model model) {
        Conversations.ConversationRef c = conversation(actor, id);
        String key = form.getFirst("template");
        Map<String, String> values = TemplateMessages.values(form);
        TemplatePicker.Choice choice = key == null ? null
                : templates.find(actor.orgId(), c.integrationId(), key).orElse(null);
        String problem = TemplateMessages.problem(choice, values);
        if (problem != null) {
            model.addAttribute("error", problem);
            return render(actor, c, key, values, model);
        }
        return send(actor, c, templateMessages.request(c.integrationId(), c.waId(), choice, values), null, key, values,
                model);
    }

    private String refused(Actor actor, Conversations.ConversationRef c, String text, String error, Model model) {
        model.addAttribute("error", error);
        model.addAttribute("text", text);
        return render(actor, c, null, Map.of(), model);
    }

    private String send(Actor actor, Conversations.ConversationRef c, ObjectNode request, String text,
                        String template, Map<String, String> values, Model model) {
        try {
            requests.send(actor.orgId(), request);
            model.addAttribute("sent", true);
            return render(actor, c, null, Map.of(), model);
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            model.addAttribute("error", TemplateMessages.plain(e.getMessage()));
            model.addAttribute("text", text);
            return render(actor, conversation(actor, c.id()), template, values, model);
        }
    }

    private ObjectNode base(Conversations.ConversationRef c, String type) {
        ObjectNode request = json.createObjectNode();
        request.put("integration_id", c.integrationId().toString());
        request.put("to", c.waId());
        request.put("type", type);
        return request;
    }

    private String render(Actor actor, Conversations.ConversationRef c, String templateKey, Map<String, String> values,
                          Model model) {
        templateMessages.fill(model, actor.orgId(), c.integrationId(), templateKey, values);
        model.addAttribute("c", c);
        model.addAttribute("windowOpen", c.windowOpen());
        model.addAttribute("accept", String.join(",", uploads.acceptedMimeTypes()));
        return "inbox/composer :: composer";
    }

    private Conversations.ConversationRef conversation(Actor actor, UUID id) {
        return conversations.find(actor.orgId(), id).orElseThrow(() -> ApiException.notFound("conversation"));
    }
}
