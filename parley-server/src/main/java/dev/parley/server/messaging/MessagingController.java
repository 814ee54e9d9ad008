package dev.parley.server.messaging;

import dev.parley.server.identity.Actor;
import dev.parley.server.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The read side of messaging, for every role of the organization: conversations newest first, a
 * conversation's messages newest first, one message with its statuses. Pages: {@code limit}, then
 * {@code before=<next_before>} from the previous page.
 */
@RestController
@RequestMapping("/api/v1")
class MessagingController {

    static final int MAX_LIMIT = 200;

    private final MessageQueries queries;

    MessagingController(MessageQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/conversations")
    Map<String, Object> conversations(Actor actor, @RequestParam(defaultValue = "50") int limit,
                                      @RequestParam(required = false) String before,
                                      @RequestParam(name = "integration_id", required = false) UUID integrationId) {
        checkLimit(limit);
        MessageQueries.Page page = queries.conversations(actor.orgId(), integrationId, limit, before);
        return page(page);
    }

    @GetMapping("/conversations/{id}")
    Map<String, Object> conversation(Actor actor, @PathVariable UUID id) {
        return queries.conversation(actor.orgId(), id).orElseThrow(() -> ApiException.notFound("conversation"));
    }

    @GetMapping("/conversations/{id}/messages")
    Map<String, Object> messages(Actor actor, @PathVariable UUID id, @RequestParam(defaultValue = "50") int limit,
                                 @RequestParam(required = false) String before) {
        checkLimit(limit);
        if (queries.conversation(actor.orgId(), id).isEmpty()) {
            throw ApiException.notFound("conversation");
        }
        return page(queries.messages(actor.orgId(), id, limit, before));
    }

    @GetMapping("/messages/{id}")
    Map<String, Object> message(Actor actor, @PathVariable UUID id) {
        return queries.message(actor.orgId(), id).orElseThrow(() -> ApiException.notFound("message"));
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_parameter", "limit must be between 1 and " + MAX_LIMIT);
        }
    }

    private static Map<String, Object> page(MessageQueries.Page page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page.data());
        body.put("next_before", page.nextBefore());
        return body;
    }
}
