package dev.parley.server.sending;

import dev.parley.cloudapi.outbound.OutboundValidator;
import dev.parley.cloudapi.outbound.Violation;
import dev.parley.server.channel.IntegrationDirectory;
import dev.parley.server.channel.IntegrationRoute;
import dev.parley.server.messaging.CustomerWindows;
import dev.parley.server.messaging.OutboundMessages;
import dev.parley.server.template.TemplateCatalog;
import dev.parley.server.web.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code POST /api/v1/messages}: every check happens before anything is queued (Meta's rules, the integration,
 * the 24-hour window, the template), then the message and its queue row are written in one transaction.
 */
@Service
class SendRequests {

    private final IntegrationDirectory directory;
    private final CustomerWindows windows;
    private final TemplateCatalog templates;
    private final OutboundMessages outbound;
    private final OutboundQueue queue;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SendingWorker worker;

    SendRequests(IntegrationDirectory directory, CustomerWindows windows, TemplateCatalog templates,
                 OutboundMessages outbound, OutboundQueue queue, TransactionTemplate tx, JsonMapper json,
                 SendingWorker worker) {
        this.directory = directory;
        this.windows = windows;
        this.templates = templates;
        this.outbound = outbound;
        this.queue = queue;
        this.tx = tx;
        this.json = json;
        this.worker = worker;
    }

    /** A request that passed every check: Meta's send body and where it goes. */
    record Checked(UUID orgId, UUID integrationId, String phoneNumberId, String waId, String type, ObjectNode meta) {
    }

    /** Checks and queues; answers the message id. */
    UUID send(UUID orgId, JsonNode request) {
        return enqueue(check(orgId, request));
    }

    /**
     * Every check of {@link #send} without queuing anything: Meta's rules, the integration, the 24-hour window, the
     * template. Throws the {@link ApiException} {@code send} would. Lets a caller refuse before a slow step (a media
     * upload) and then send for real.
     */
    Checked check(UUID orgId, JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ApiException.unprocessable("invalid_request", "The body must be a JSON object.");
        }
        UUID integrationId = integrationId(request.get("integration_id"));
        String type = request.path("type").asString("");
        ObjectNode meta = json.createObjectNode();
        meta.put("messaging_product", "whatsapp");
        meta.put("recipient_type", "individual");
        if (request.has("to")) {
            meta.set("to", request.get("to"));
        }
        meta.set("type", request.get("type"));
        if (!type.isEmpty() && request.has(type)) {
            meta.set(type, request.get(type));
        }
        for (String optional : List.of("context", "biz_opaque_callback_data")) {
            if (request.has(optional) && !request.get(optional).isNull()) {
                meta.set(optional, request.get(optional));
            }
        }
        List<Violation> violations = OutboundValidator.validate(meta);
        if (!violations.isEmpty()) {
            throw ApiException.unprocessable(violations.get(0).rule(), violations.stream()
                    .map(v -> v.message() + " [" + v.rule() + "]").collect(Collectors.joining("; ")));
        }
        IntegrationRoute route = directory.byId(integrationId).filter(r -> r.orgId().equals(orgId))
                .orElseThrow(() -> ApiException.notFound("integration"));
        if (!route.enabled()) {
            throw ApiException.unprocessable("integration_disabled", "Integration " + integrationId
                    + " is disabled; enable it before sending.");
        }
        String to = meta.get("to").asString();
        String waId = to.replaceAll("[^0-9]", "");
        if (type.equals("template")) {
            TemplateChecks.check(templates, orgId, integrationId, meta.get("template"));
        } else {
            Optional<Instant> expires = windows.windowExpiresAt(integrationId, waId);
            Instant now = Instant.now();
            if (expires.isEmpty() || !expires.get().isAfter(now)) {
                throw ApiException.unprocessable("window_closed", "The 24-hour customer service window with "
                        + waId + (expires.isEmpty() ? " was never opened (the customer has not written to this number)"
                        : " closed at " + expires.get()) + ". Outside the window only an approved template can be "
                        + "sent: use type \"template\".");
            }
        }
        return new Checked(orgId, integrationId, route.phoneNumberId(), waId, type, meta);
    }

    /** Records the checked message (status queued) and its queue row in one transaction; answers its id. */
    private UUID enqueue(Checked c) {
        ObjectNode meta = c.meta();
        String contextWamid = meta.path("context").path("message_id").asString(null);
        String body = json.writeValueAsString(meta);
        UUID id = tx.execute(s -> {
            UUID messageId = outbound.record(c.orgId(), c.integrationId(), c.waId(), c.type(), meta.get(c.type()),
                    contextWamid);
            queue.enqueue(messageId, c.orgId(), c.integrationId(), c.phoneNumberId(), c.waId(), body, Instant.now());
            return messageId;
        });
        worker.wakeUp();
        return id;
    }

    private static UUID integrationId(JsonNode node) {
        if (node == null || node.isNull() || !node.isString() || node.asString().isBlank()) {
            throw ApiException.unprocessable("integration_id.required", "integration_id is required.");
        }
        try {
            return UUID.fromString(node.asString());
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("integration");
        }
    }
}
