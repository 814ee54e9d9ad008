package dev.parley.server.sandbox;

import dev.parley.emulator.SentMessage;
import dev.parley.server.identity.Actor;
import dev.parley.server.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sandbox phone: a page that plays a customer's WhatsApp on the sandbox channel. The customer sends texts,
 * photos, button and list replies and reactions through the built-in emulator (so they reach Parley as signed
 * webhooks, like Meta's), and sees what the business sent back ({@link Sandbox#sentByBusiness()}). What the
 * customer sent is remembered in memory by this page (the emulator keeps the business side).
 */
@UiController
@RequestMapping("/app/sandbox")
class SandboxPhonePages {

    static final String DEFAULT_CUSTOMER = "15550001234";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Sandbox sandbox;
    /** What each simulated customer sent, by number (the page's own memory; lost on restart). */
    private final Map<String, List<Line>> customerSent = new ConcurrentHashMap<>();

    SandboxPhonePages(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** One line of the phone's chat. {@code choices}: the buttons or list rows of an interactive message. */
    record Line(String wamid, boolean fromCustomer, Instant at, String text, String detail, List<Choice> choices,
                String status, String reaction) {
    }

    record Choice(String id, String title, String description, String kind) {
    }

    private Optional<Sandbox.Info> mine(Actor actor) {
        return sandbox.info().filter(i -> i.orgId().equals(actor.orgId()));
    }

    @GetMapping
    String phone(Actor actor, @RequestParam(name = "as", defaultValue = DEFAULT_CUSTOMER) String as,
                 @RequestParam(defaultValue = "Sandbox customer") String name, Model model) {
        Optional<Sandbox.Info> info = mine(actor);
        model.addAttribute("info", info.orElse(null));
        model.addAttribute("as", digits(as));
        model.addAttribute("name", name);
        if (info.isPresent()) {
            model.addAttribute("lines", lines(digits(as)));
        }
        return "sandbox/phone";
    }

    /** htmx: the phone's chat alone (polled). */
    @GetMapping("/thread")
    String thread(Actor actor, @RequestParam(name = "as", defaultValue = DEFAULT_CUSTOMER) String as,
                  @RequestParam(defaultValue = "Sandbox customer") String name, Model model) {
        model.addAttribute("info", mine(actor).orElseThrow(() -> dev.parley.server.web.ApiException.notFound("sandbox")));
        model.addAttribute("as", digits(as));
        model.addAttribute("name", name);
        model.addAttribute("lines", lines(digits(as)));
        return "sandbox/phone :: chat";
    }

    @PostMapping("/send")
    String send(Actor actor, @RequestParam(name = "as", defaultValue = DEFAULT_CUSTOMER) String as,
                @RequestParam(defaultValue = "Sandbox customer") String name,
                @RequestParam(defaultValue = "text") String kind, @RequestParam(defaultValue = "") String text,
                @RequestParam(required = false) String replyTo, @RequestParam(required = false) String choiceId,
                @RequestParam(required = false) String choiceTitle, @RequestParam(required = false) String emoji,
                Model model) {
        Sandbox.Info info = mine(actor).orElseThrow(() -> dev.parley.server.web.ApiException.notFound("sandbox"));
        String customer = digits(as);
        ObjectNode message = JSON.createObjectNode();
        String shown;
        String detail = null;
        switch (kind) {
            case "button_reply", "list_reply" -> {
                message.put("type", "interactive");
                ObjectNode interactive = message.putObject("interactive");
                interactive.put("type", kind);
                ObjectNode reply = interactive.putObject(kind);
                reply.put("id", choiceId == null ? "" : choiceId);
                reply.put("title", choiceTitle == null ? "" : choiceTitle);
                if (replyTo != null && !replyTo.isBlank()) {
                    ObjectNode context = message.putObject("context");
                    context.put("from", info.displayPhoneNumber());
                    context.put("id", replyTo);
                }
                shown = choiceTitle;
                detail = kind.equals("button_reply") ? "button reply" : "list reply";
            }
            case "reaction" -> {
                message.put("type", "reaction");
                ObjectNode reaction = message.putObject("reaction");
                reaction.put("message_id", replyTo == null ? "" : replyTo);
                reaction.put("emoji", emoji == null ? "" : emoji);
                shown = emoji;
                detail = "reaction";
            }
            case "image" -> {
                message.put("type", "image");
                ObjectNode image = message.putObject("image");
                image.put("mime_type", "image/png");
                if (!text.isBlank()) {
                    image.put("caption", text);
                }
                shown = text.isBlank() ? "📷 Photo" : "📷 " + text;
            }
            default -> {
                if (text.isBlank()) {
                    return thread(actor, as, name, model);
                }
                message.put("type", "text");
                message.putObject("text").put("body", text);
                shown = text;
            }
        }
        String wamid = sandbox.customerSends(customer, name, JSON.writeValueAsString(message));
        if (kind.equals("reaction")) {
            // shown on the business message it reacts to
            reactions.put(replyTo == null ? "" : replyTo, emoji == null ? "" : emoji);
        } else {
            customerSent.computeIfAbsent(customer, k -> new CopyOnWriteArrayList<>())
                    .add(new Line(wamid, true, Instant.now(), shown, detail, List.of(), "sent", null));
        }
        return thread(actor, as, name, model);
    }

    private final Map<String, String> reactions = new ConcurrentHashMap<>();

    private List<Line> lines(String customer) {
        List<Line> lines = new ArrayList<>(customerSent.getOrDefault(customer, List.of()));
        for (SentMessage s : sandbox.sentByBusiness()) {
            if (customer.equals(s.to()) && !"reaction".equals(s.type())) {
                lines.add(business(s));
            }
        }
        lines.sort(Comparator.comparing(Line::at));
        return lines;
    }

    private Line business(SentMessage s) {
        JsonNode body = JSON.readTree(s.requestBody());
        String text;
        String detail = null;
        List<Choice> choices = new ArrayList<>();
        switch (s.type()) {
            case "text" -> text = body.path("text").path("body").asString("");
            case "template" -> {
                text = "Template " + body.path("template").path("name").asString("");
                List<String> values = new ArrayList<>();
                body.path("template").path("components").forEach(c -> c.path("parameters")
                        .forEach(p -> values.add(p.path("text").asString(""))));
                detail = values.isEmpty() ? null : String.join(", ", values);
            }
            case "interactive" -> {
                JsonNode i = body.path("interactive");
                text = i.path("body").path("text").asString("");
                i.path("action").path("buttons").forEach(b -> choices.add(new Choice(
                        b.path("reply").path("id").asString(""), b.path("reply").path("title").asString(""), null,
                        "button_reply")));
                i.path("action").path("sections").forEach(sec -> sec.path("rows").forEach(r -> choices.add(
                        new Choice(r.path("id").asString(""), r.path("title").asString(""),
                                r.path("description").asString(null), "list_reply"))));
            }
            case "image", "video", "audio", "document", "sticker" -> {
                text = "📎 " + s.type();
                detail = body.path(s.type()).path("caption").asString(null);
            }
            case "location" -> text = "📍 " + body.path("location").path("name").asString("location");
            default -> text = s.type();
        }
        return new Line(s.wamid(), false, s.acceptedAt(), text, detail, choices, s.status(),
                reactions.get(s.wamid()));
    }

    private static String digits(String s) {
        String d = s == null ? "" : s.replaceAll("[^0-9]", "");
        return d.length() < 7 || d.length() > 15 ? DEFAULT_CUSTOMER : d;
    }
}
