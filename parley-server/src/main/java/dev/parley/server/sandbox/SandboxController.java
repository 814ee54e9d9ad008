package dev.parley.server.sandbox;

import dev.parley.emulator.SentMessage;
import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's customer side, for the Default organization (everyone else gets 404): what the sandbox is
 * wired to, a simulated customer's message to the business, and what the business sent back.
 */
@RestController
@RequestMapping("/api/v1/sandbox")
class SandboxController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Sandbox sandbox;

    SandboxController(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    private Sandbox.Info mine(Actor actor) {
        return sandbox.info().filter(i -> i.orgId().equals(actor.orgId()))
                .orElseThrow(() -> ApiException.notFound("sandbox"));
    }

    @GetMapping
    Map<String, Object> get(Actor actor) {
        Sandbox.Info info = mine(actor);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("integration_id", info.integrationId());
        m.put("phone_number_id", info.phoneNumberId());
        m.put("display_phone_number", info.displayPhoneNumber());
        m.put("verified_name", info.verifiedName());
        m.put("emulator_url", info.emulatorUrl());
        return m;
    }

    /** Body: {@code from} (the customer's number), optional {@code name}, {@code message} in Meta's inbound shape. */
    @PostMapping("/messages")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, Object> customerSends(Actor actor, @RequestBody(required = false) JsonNode body) {
        mine(actor);
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("validation_failed", "the body must be a JSON object with from and message");
        }
        String from = body.path("from").asString("").replaceAll("[+\\s-]", "");
        if (!from.matches("[0-9]{7,15}")) {
            throw ApiException.unprocessable("validation_failed", "from: the customer's number, 7 to 15 digits");
        }
        JsonNode message = body.path("message");
        if (!message.isObject() || !message.path("type").isString() || message.path("type").asString().isBlank()) {
            throw ApiException.unprocessable("validation_failed",
                    "message: an object in Meta's inbound shape with a type, such as "
                            + "{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        }
        String name = body.path("name").asString("Sandbox customer");
        String wamid;
        try {
            wamid = sandbox.customerSends(from, name, JSON.writeValueAsString(message));
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("validation_failed", "message: " + e.getMessage());
        }
        return Map.of("wamid", wamid);
    }

    /** The messages the business sent to sandbox customers, oldest first, with their status on the phone. */
    @GetMapping("/sent")
    Map<String, Object> sent(Actor actor) {
        mine(actor);
        List<Map<String, Object>> data = sandbox.sentByBusiness().stream().map(SandboxController::view).toList();
        return Map.of("data", data);
    }

    private static Map<String, Object> view(SentMessage s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wamid", s.wamid());
        m.put("to", s.to());
        m.put("type", s.type());
        m.put("status", s.status());
        m.put("accepted_at", s.acceptedAt());
        m.put("request", JSON.readTree(s.requestBody()));
        return m;
    }
}
